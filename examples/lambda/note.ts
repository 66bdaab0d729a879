// A model that uses no class-validator or class-transformer decorators: a Lambda bundle of
// a handler using it contains neither package.
import { Attribute, BaseModel, CreatedAt, Model, PartitionKey, Version } from 'dynamorm';

@Model({ table: 'lambda_notes' })
export class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() body!: string;
  @CreatedAt() createdAt!: Date;
  @Version() version!: number;
}
