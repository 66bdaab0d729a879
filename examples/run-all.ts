// Runs every example in order: `npm run examples`.
// Each example also runs alone: `npx tsx examples/<name>.ts`.
// Set DYNAMODB_ENDPOINT to run them against DynamoDB Local (or any endpoint) instead of
// the embedded server.
import { main as ecommerceOrders } from './ecommerce-orders';
import { main as lambdaHandler } from './lambda-handler';
import { main as multiAccount } from './multi-account';
import { main as multiTenant } from './multi-tenant';
import { main as quickstart } from './quickstart';
import { main as streamHandler } from './stream-handler';
import { main as timeSeries } from './time-series';
import { main as userManagement } from './user-management';

const examples: ReadonlyArray<[name: string, main: () => Promise<void>]> = [
  ['quickstart', quickstart],
  ['user-management', userManagement],
  ['multi-tenant', multiTenant],
  ['time-series', timeSeries],
  ['ecommerce-orders', ecommerceOrders],
  ['lambda-handler', lambdaHandler],
  ['stream-handler', streamHandler],
  ['multi-account', multiAccount],
];

export async function main(): Promise<void> {
  for (const [name, run] of examples) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    await run();
    console.log(`=== ${name}: ok (${Date.now() - started} ms) ===`);
  }
  console.log(`\nall ${examples.length} examples passed`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
