// The per-call timing, run by run.ts in a child process through plain-node.cjs (plain Node,
// tsx unregistered once the bench's modules are loaded). Writes a TimingReport as JSON on
// stdout; progress goes to stderr.
//
// Settings (environment): BENCH_ROUNDS (default 5), BENCH_CALLS calls per arm and round
// (default 400), BENCH_BLOCK calls an arm makes before the next arm's turn (default 25),
// BENCH_WARMUP calls per arm before timing (default 1000).

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { validate } from 'class-validator';
import { ARM_NAMES, GROUPS, type ArmKey, type TimingReport } from './cases';
import { buildNote, orm } from './dynamorm';
import { FakeDynamoHandler, fakeClient } from './fake-dynamo';
import { runInterleaved, type Arm } from './measure';
import { BenchUser, CheckedUser, UserDto, userInput, type UserInput } from './models';

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const settings = {
  rounds: intEnv('BENCH_ROUNDS', 5),
  calls: intEnv('BENCH_CALLS', 400),
  block: intEnv('BENCH_BLOCK', 25),
  warmup: intEnv('BENCH_WARMUP', 1000),
};
const FOUND_ID = 'user-000042';

// ---------------------------------------------------------------------------------------
// The two sides, each on its own DynamoDBClient with the same fake handler and config.

const handler = new FakeDynamoHandler();
const raw = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
orm.connect({ client: fakeClient(handler) });

/** What hand-written code stores for a new user: dates as ISO text, timestamps, version 1. */
function rawItem(user: UserInput): Record<string, unknown> {
  const now = new Date().toISOString();
  return { ...user, birthday: user.birthday.toISOString(), createdAt: now, updatedAt: now, version: 1 };
}

function rawPut(table: string, user: UserInput) {
  return raw.send(
    new PutCommand({
      TableName: table,
      Item: rawItem(user),
      ConditionExpression: 'attribute_not_exists(#n1)',
      ExpressionAttributeNames: { '#n1': 'id' },
    }),
  );
}

const calls: Record<ArmKey, (i: number) => Promise<unknown>> = {
  rawPut: (i) => rawPut('bench_users', userInput(i)),
  create: (i) => BenchUser.create(userInput(i)),
  save: (i) => BenchUser.build(userInput(i)).save(),
  rawPutValidated: async (i) => {
    const user = userInput(i);
    const issues = await validate(Object.assign(new UserDto(), user), { forbidUnknownValues: false });
    if (issues.length > 0) throw new Error(`invalid: ${issues.map(String).join('; ')}`);
    return rawPut('bench_checked_users', user);
  },
  createChecked: (i) => CheckedUser.create(userInput(i)),
  rawGet: async () => (await raw.send(new GetCommand({ TableName: 'bench_users', Key: { id: FOUND_ID } }))).Item,
  find: () => BenchUser.find(FOUND_ID),
};

const arm = (key: ArmKey): Arm => ({ name: ARM_NAMES[key], call: calls[key] });

// ---------------------------------------------------------------------------------------
// Equivalence check: both sides send the same request (timestamps aside) and read the same item.

function normalised(body: string | undefined): string {
  const parsed = JSON.parse(body ?? 'null') as { Item?: Record<string, { S?: string }> };
  for (const stamp of ['createdAt', 'updatedAt']) if (parsed?.Item?.[stamp]) parsed.Item[stamp] = { S: '<now>' };
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]))
        : value;
  return JSON.stringify(sortKeys(parsed));
}

async function bodyOf(key: ArmKey, i: number): Promise<string> {
  handler.capture = true;
  try {
    await calls[key](i);
    return normalised(handler.lastBody);
  } finally {
    handler.capture = false;
  }
}

async function checkEquivalence(): Promise<string[]> {
  const problems: string[] = [];
  const pairs: Array<[ArmKey, ArmKey]> = [['rawPut', 'create'], ['rawPut', 'save'], ['rawPutValidated', 'createChecked'], ['rawGet', 'find']];
  for (const [baseline, subject] of pairs) {
    const a = await bodyOf(baseline, 7);
    const b = await bodyOf(subject, 7);
    if (a !== b) problems.push(`${ARM_NAMES[subject]} sends a different request than ${ARM_NAMES[baseline]}:\n  raw:      ${a}\n  dynamorm: ${b}`);
  }
  const user = await BenchUser.find(FOUND_ID);
  const shapeOk =
    user instanceof BenchUser && user.birthday instanceof Date && user.tags instanceof Set && user.tags.size === 3 &&
    user.age === 36 && user.version === 3 && user.address.city === 'London' && user.createdAt instanceof Date;
  if (!shapeOk) problems.push(`BenchUser.find returned an unexpected model: ${JSON.stringify(user)}`);
  return problems;
}

// ---------------------------------------------------------------------------------------

export async function main(): Promise<void> {
  const report: TimingReport = { arms: {}, settings, build: buildNote };
  const problems = await checkEquivalence();
  if (problems.length > 0) {
    report.problems = problems;
  } else {
    process.stderr.write('  requests checked: each dynamorm call sends the same request as its raw counterpart (timestamps aside)\n');
    for (const { arms: group, roundsFactor } of GROUPS) {
      const rounds = settings.rounds * roundsFactor;
      process.stderr.write(`\x1b[2K  timing ${group.map((k) => ARM_NAMES[k]).join(' | ')}\n`);
      const results = await runInterleaved(group.map(arm), {
        warmupCalls: settings.warmup,
        rounds,
        callsPerRound: settings.calls,
        blockCalls: settings.block,
        onRound: (round) => process.stderr.write(`  round ${round + 1}/${rounds}\r`),
      });
      group.forEach((key, k) => {
        const r = results[k];
        report.arms[key] = { name: ARM_NAMES[key], cpuUs: r.cpuUs, mainUs: r.mainUs, wallUs: r.wallUs, blockCpuUs: r.blockCpuUs };
      });
    }
  }
  process.stdout.write(JSON.stringify(report));
}
