// A model with class-validator constraints: dynamorm validates it before every write.
import { IsEmail, Length } from 'class-validator';
import { Attribute, BaseModel, CreatedAt, Model, PartitionKey } from 'dynamorm';

@Model({ table: 'lambda_signups' })
export class Signup extends BaseModel {
  @PartitionKey() id!: string;
  @IsEmail() @Attribute() email!: string;
  @Length(1, 40) @Attribute() name!: string;
  @CreatedAt() createdAt!: Date;
}
