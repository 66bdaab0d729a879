// Quickstart: define a model, create its table, and go through the life of one item.
//
//   npx tsx examples/quickstart.ts                       (embedded local server)
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/quickstart.ts
import { Attribute, BaseModel, CreatedAt, ItemNotFoundError, Model, PartitionKey, UpdatedAt, Version, deleteTable, ensureTable } from 'dynamorm';
import { withDynamo } from './support/local';

@Model({ table: 'books' })
export class Book extends BaseModel {
  @PartitionKey() isbn!: string;
  @Attribute() title!: string;
  @Attribute() author!: string;
  @Attribute({ type: Number }) stock!: number;
  @Attribute({ default: () => [] }) genres!: string[];
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
}

export async function main(): Promise<void> {
  await withDynamo(async ({ embedded }) => {
    console.log(`connected to ${embedded ? 'the embedded local DynamoDB' : process.env.DYNAMODB_ENDPOINT}`);

    const table = await ensureTable(Book);
    console.log(`ensureTable(Book): table ${table.TableName} is ${table.TableStatus}`);

    try {
      // create: a conditional Put; the version starts at 1, the timestamps are set.
      const book = await Book.create({ isbn: '978-0131103627', title: 'The C Programming Lang', author: 'Kernighan & Ritchie', stock: 3 });
      console.log(`created ${book.isbn}: "${book.title}" (version ${book.version}, isNew ${book.isNew}, genres ${JSON.stringify(book.genres)})`);

      // find throws when the item is missing; get returns undefined.
      const found = await Book.find('978-0131103627');
      console.log(`find: "${found.title}" by ${found.author}, stock ${found.stock}, createdAt is a Date: ${found.createdAt instanceof Date}`);
      console.log(`get of a missing key: ${String(await Book.get('000-0000000000'))}`);
      try {
        await Book.find('000-0000000000');
      } catch (error) {
        if (!(error instanceof ItemNotFoundError)) throw error;
        console.log(`find of a missing key: ${error.name}`);
      }

      // save: only the changed attributes are sent, and the version goes up by one.
      found.title = 'The C Programming Language';
      console.log(`changedAttributes before save: ${JSON.stringify(found.changedAttributes())}`);
      await found.save();
      console.log(`saved: version ${found.version}, changedAttributes after save: ${JSON.stringify(found.changedAttributes())}`);

      // update: assign + save.
      await found.update({ stock: 2, genres: ['programming', 'classic'] });
      console.log(`update({ stock, genres }): stock ${found.stock}, version ${found.version}`);

      // reload: the first instance (`book`) is still at version 1; reload reads the item again.
      console.log(`before reload: "${book.title}", version ${book.version}`);
      await book.reload();
      console.log(`after reload: "${book.title}", version ${book.version}, genres ${JSON.stringify(book.genres)}`);

      const json = book.toJSON();
      console.log(`toJSON keys: ${Object.keys(json).sort().join(', ')}`);

      // delete: version-checked, since Book has @Version.
      await book.delete();
      console.log(`deleted; get now returns ${String(await Book.get('978-0131103627'))}`);
    } finally {
      await deleteTable(Book, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
