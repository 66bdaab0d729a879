// Multiple accounts: one service writing to tables that live in its partners' AWS accounts.
// Each partner gives you a role to assume and an external ID; dynamorm assumes the role on
// the first request for that partner, keeps the credentials (and the partner's Connection)
// for the following ones, assumes it again 5 minutes before they expire, and never lets one
// partner's credentials reach another's requests. `partner(id).run(fn)` scopes every model
// call inside `fn` to that partner.
//
//   npx tsx examples/multi-account.ts
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/multi-account.ts
//
// Here STS is a stand-in that answers AssumeRole locally (./support/fake-sts), and the local
// server is one account, so each partner gets a table prefix of its own. Against AWS, drop
// `local` below: the process's own credentials (the Lambda's role) call the real STS, and
// every partner has a plain `shipments` table in its own account.
import { Attribute, BaseModel, DynamormError, Model, MultiAccount, PartitionKey, UpdatedAt, deleteTable, ensureTable } from 'dynamorm';
import { fakeSts } from './support/fake-sts';
import { withDynamo } from './support/local';

@Model({ table: 'shipments' })
export class Shipment extends BaseModel {
  @PartitionKey() orderId!: string;
  @Attribute() status!: string;
  @UpdatedAt() updatedAt!: Date;
}

/** What a partner sends us: a status update for one of its orders. */
interface StatusEvent {
  partner: string;
  orderId: string;
  status: string;
}

export async function main(): Promise<void> {
  await withDynamo(async ({ endpoint, connection }) => {
    const sts = fakeSts();
    const local = {
      endpoint,
      masterCredentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      stsClientConfig: { requestHandler: sts.requestHandler },
    };
    // Built once per process (in a Lambda: at init); nothing is assumed until a request needs it.
    const accounts = new MultiAccount({
      acme: {
        roleArn: 'arn:aws:iam::111111111111:role/shipments-sync',
        externalId: 'acme-7f3a9c',
        region: 'eu-west-1',
        ...local,
        tablePrefix: `${connection.tablePrefix}acme_`,
      },
      globex: {
        roleArn: 'arn:aws:iam::222222222222:role/shipments-sync',
        externalId: 'globex-91bc20',
        region: 'us-east-1',
        ...local,
        tablePrefix: `${connection.tablePrefix}globex_`,
        sessionName: 'shipments-sync',
      },
    });

    // What a handler does with each event: every model call inside run() goes to the partner.
    const onStatus = (event: StatusEvent) =>
      accounts.partner(event.partner).run(async () => {
        const shipment = (await Shipment.get(event.orderId)) ?? Shipment.build({ orderId: event.orderId });
        shipment.status = event.status;
        await shipment.save();
        return shipment;
      });

    try {
      for (const id of accounts.ids) await accounts.partner(id).run(() => ensureTable(Shipment));
      console.log(`partners: ${accounts.ids.join(', ')}; AssumeRole calls so far: ${sts.calls.length}`);
      // ensureTable's requests needed credentials: one AssumeRole per partner.
      for (const call of sts.calls) {
        console.log(`AssumeRole ${call.roleArn} (ExternalId ${call.externalId}, session ${call.sessionName})`);
      }

      // Events for both partners, handled concurrently: the same order id, two accounts, two items.
      await Promise.all([
        onStatus({ partner: 'acme', orderId: 'o-1', status: 'packed' }),
        onStatus({ partner: 'globex', orderId: 'o-1', status: 'delayed' }),
        onStatus({ partner: 'acme', orderId: 'o-2', status: 'shipped' }),
      ]);
      await onStatus({ partner: 'acme', orderId: 'o-1', status: 'shipped' });

      const acme = await accounts.partner('acme').run(() => Shipment.find('o-1'));
      const globex = await accounts.partner('globex').run(() => Shipment.find('o-1'));
      console.log(`acme o-1: ${acme.status}; globex o-1: ${globex.status}`);
      const acmeCount = await accounts.partner('acme').run(() => Shipment.scan().count());
      const globexCount = await accounts.partner('globex').run(() => Shipment.scan().count());
      console.log(`acme has ${acmeCount} shipments, globex ${globexCount}`);
      console.log(`AssumeRole calls after all requests: ${sts.calls.length} (credentials are kept until 5 minutes before they expire)`);

      try {
        accounts.partner('initech');
      } catch (error) {
        if (!(error instanceof DynamormError)) throw error;
        console.log(`unknown partner: ${error.message}`);
      }
    } finally {
      for (const id of accounts.ids) await accounts.partner(id).run(() => deleteTable(Shipment, { ifExists: true }));
      accounts.close();
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
