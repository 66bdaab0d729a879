// Multi-tenant projects: each organisation's projects share one partition, addressed through
// key templates (partition key 'ORG#<orgId>', sort key 'PROJECT#<projectId>'), so a tenant's
// query reads that tenant's items and nothing else. A listing is served page by page with
// opaque cursors, and a cursor only resumes the listing it was made for.
//
//   npx tsx examples/multi-tenant.ts
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/multi-tenant.ts
import { Attribute, BaseModel, CreatedAt, InvalidCursorError, Model, PartitionKey, SortKey, deleteTable, ensureTable } from 'dynamorm';
import { withDynamo } from './support/local';

@Model({ table: 'projects' })
export class Project extends BaseModel {
  // Computed from orgId / projectId on every write; queries name orgId and projectId.
  @PartitionKey({ template: 'ORG#{orgId}' }) pk!: string;
  @SortKey({ template: 'PROJECT#{projectId}' }) sk!: string;
  @Attribute() orgId!: string;
  @Attribute() projectId!: string;
  @Attribute() name!: string;
  @Attribute({ default: 'active' }) status!: 'active' | 'archived';
  @Attribute({ set: true }) labels?: Set<string>;
  @CreatedAt() createdAt!: Date;
}

/**
 * One page of an organisation's projects, as an API handler would serve
 * `GET /orgs/:orgId/projects?cursor=...`: the cursor goes to the client and comes back as is.
 */
async function listProjects(orgId: string, pageSize: number, cursor?: string) {
  const page = await Project.where('orgId', '=', orgId).limit(pageSize).page(cursor);
  return { projects: page.items.map((p) => p.projectId), next: page.cursor, hasMore: page.hasMore };
}

async function seed(): Promise<void> {
  const acme: Array<[string, string, Project['status'], string[]]> = [
    ['p01', 'Website relaunch', 'active', ['urgent']],
    ['p02', 'Billing migration', 'active', []],
    ['p03', 'Q1 planning', 'archived', []],
    ['p04', 'Mobile app', 'active', ['urgent', 'mobile']],
    ['p05', 'Support portal', 'active', []],
    ['p06', 'Data warehouse', 'archived', ['urgent']],
    ['p07', 'Security audit', 'active', ['urgent']],
  ];
  for (const [projectId, name, status, labels] of acme) {
    await Project.create({ orgId: 'acme', projectId, name, status, labels: labels.length ? new Set(labels) : undefined });
  }
  await Project.create({ orgId: 'globex', projectId: 'p01', name: 'Doomsday device', labels: new Set(['urgent']) });
  await Project.create({ orgId: 'globex', projectId: 'p02', name: 'Volcano base' });
}

export async function main(): Promise<void> {
  await withDynamo(async () => {
    await ensureTable(Project);
    try {
      await seed();
      console.log('seeded 7 projects for acme and 2 for globex');

      // The key is built from the template's sources: find() takes them too.
      const audit = await Project.find({ orgId: 'acme', projectId: 'p07' });
      console.log(`find({ orgId, projectId }): "${audit.name}", stored under pk ${audit.pk}, sk ${audit.sk}`);

      // where('orgId', '=', ...) is an '=' on every source of the partition key's template:
      // a Query of that one partition, no scan, no filter.
      const { params } = Project.where('orgId', '=', 'acme').explain();
      console.log(`query of acme's projects: ${String(params.KeyConditionExpression)} with ${JSON.stringify(params.ExpressionAttributeValues)}`);

      // Page through acme's projects, 3 at a time, until hasMore is false.
      let cursor: string | undefined;
      let firstCursor: string | undefined;
      let hasMore = true;
      for (let pageNumber = 1; hasMore; pageNumber++) {
        const page = await listProjects('acme', 3, cursor);
        console.log(
          `acme page ${pageNumber}: ${page.projects.join(', ')} (hasMore ${page.hasMore}${page.next ? `, cursor of ${page.next.length} url-safe characters` : ', no cursor'})`,
        );
        firstCursor ??= page.next;
        cursor = page.next;
        hasMore = page.hasMore;
      }

      // Another tenant's listing, and a cursor that does not belong to it.
      const globex = await listProjects('globex', 3);
      console.log(`globex: ${globex.projects.join(', ')} (hasMore ${globex.hasMore})`);
      try {
        await listProjects('globex', 3, firstCursor);
        console.log('acme cursor on globex: accepted (unexpected)');
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        console.log(`acme's cursor on globex's listing: ${error.name}`);
      }

      // Filters apply after the key condition; a page still holds `limit` matches.
      const urgent = Project.where('orgId', '=', 'acme').filter('status', '=', 'active').filter('labels', 'contains', 'urgent');
      const first = await urgent.limit(2).page();
      const rest = await urgent.limit(2).page(first.cursor);
      console.log(
        `active urgent projects of acme: [${first.items.map((p) => p.projectId).join(', ')}] then [${rest.items.map((p) => p.projectId).join(', ')}] (hasMore ${rest.hasMore})`,
      );

      // count() follows every page with Select COUNT; no items are transferred.
      const total = await Project.where('orgId', '=', 'acme').count();
      const archived = await Project.where('orgId', '=', 'acme').filter('status', '=', 'archived').count();
      console.log(`acme has ${total} projects, ${archived} archived; globex has ${await Project.where('orgId', '=', 'globex').count()}`);

      // A whole-table read has to be asked for by name: scan() (every tenant's items).
      console.log(`scan of every tenant: ${await Project.scan().count()} projects`);
    } finally {
      await deleteTable(Project, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
