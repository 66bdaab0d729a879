import { expect } from 'chai';
import sinon from 'sinon';
import { Attribute, BaseModel, Index, Model, PartitionKey, SortKey, type Page } from '../../../lib';
import { stubConnection } from '../../../lib/testing';

@Model({ table: 'qtypes_posts' })
class Post extends BaseModel {
  @PartitionKey() authorId!: string;
  @SortKey({ type: Date }) publishedAt!: Date;
  @Index('gsi-status', 'pk') status!: string;
  @Attribute({ type: Number }) likes?: number;
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute() title?: string;
  summary(): string {
    return `${this.title} (${this.likes ?? 0})`;
  }
}

// Checked by `tsc --noEmit` (part of npm test): each @ts-expect-error must be an error.
describe('query types', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('property names and value types follow the model; results are typed as the model', async () => {
    const conn = stubConnection(sandbox);
    conn.query.resolves({ Items: [{ authorId: 'a', publishedAt: '2026-01-01T00:00:00.000Z', status: 'live', likes: 3, title: 'T' }] });

    const posts: Post[] = await Post.where('authorId', '=', 'a').where('publishedAt', '>', new Date(0)).filter('likes', '>=', 1).all();
    expect(posts[0].summary()).to.equal('T (3)');
    const first: Post | undefined = await Post.where('status', '=', 'live').first();
    expect(first).to.be.instanceOf(Post);
    const page: Page<Post> = await Post.where('authorId', '=', 'a').limit(10).page();
    expect(page.items).to.have.length(1);

    // Type-only: never called.
    const compileErrors = () => {
      // @ts-expect-error misspelt property in where
      Post.where('athorId', '=', 'a');
      // @ts-expect-error a Date sort key takes a Date, not a string
      Post.where('authorId', '=', 'a').where('publishedAt', '>', '2026-01-01');
      // @ts-expect-error between takes two values
      Post.where('authorId', '=', 'a').where('publishedAt', 'between', new Date());
      // @ts-expect-error misspelt property in filter
      Post.where('authorId', '=', 'a').filter('lieks', '>', 1);
      // @ts-expect-error contains on a Set takes a member
      Post.where('authorId', '=', 'a').filter('tags', 'contains', new Set(['x']));
      Post.where('authorId', '=', 'a').filter('tags', 'contains', 'x');
      // @ts-expect-error in takes an array of values
      Post.where('authorId', '=', 'a').filter('likes', 'in', 1);
      // @ts-expect-error misspelt orderBy
      Post.where('authorId', '=', 'a').orderBy('publishdAt');
      // @ts-expect-error methods are not properties
      Post.where('authorId', '=', 'a').select('summary');
      // @ts-expect-error updateAll checks the changes like build()
      void Post.where('authorId', '=', 'a').updateAll({ likes: 'many' });
    };
    expect(compileErrors).to.be.a('function');
  });

  it('select() narrows the result type to the selected properties (methods kept)', async () => {
    const conn = stubConnection(sandbox);
    conn.query.resolves({ Items: [{ authorId: 'a', publishedAt: '2026-01-01T00:00:00.000Z', title: 'T' }] });
    const [post] = await Post.where('authorId', '=', 'a').select('title').all();
    const title: string | undefined = post.title;
    expect(title).to.equal('T');
    expect(typeof post.summary).to.equal('function');
    // @ts-expect-error not selected
    expect(post.likes).to.equal(undefined);
    // conditions may still name any property after select
    Post.where('authorId', '=', 'a').select('title').filter('likes', '>', 1);
  });
});
