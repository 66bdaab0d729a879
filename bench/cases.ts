// What is compared with what, and the targets. Shared by the timing child (timing.ts) and
// the report (run.ts); nothing heavy is imported here.

export const TARGET_PUT_US = 20;
export const TARGET_GET_US = 15;
/** A query returning 25 hydrated models, over the same QueryCommand by hand. */
export const TARGET_QUERY_US = 40;
export const TARGET_IMPORT_MS = 5;

/** The arms, i.e. the calls timed, and their labels. */
export const ARM_NAMES = {
  rawPut: 'raw PutCommand',
  create: 'BenchUser.create',
  save: 'BenchUser.build().save()',
  rawPutValidated: 'raw validate() + PutCommand',
  createChecked: 'CheckedUser.create',
  rawGet: 'raw GetCommand',
  find: 'BenchUser.find',
  rawPutApp: 'raw PutCommand, typical user table',
  saveApp: 'AppUser.build(u).save()',
  rawGetApp: 'raw GetCommand, typical user table',
  findApp: 'AppUser.find',
  rawQuery: 'raw QueryCommand, 25 items',
  query: 'BenchOrder.where().where().orderBy().all(), 25 models',
  queryParams: 'BenchOrder.where().where().orderBy().toParams() (no request)',
} as const;

export type ArmKey = keyof typeof ARM_NAMES;

/**
 * Arms timed together (interleaved); a row compares two arms of one group. The get group
 * is the cheapest and its target the tightest, so it gets twice the rounds.
 */
export const GROUPS: ReadonlyArray<{ arms: readonly ArmKey[]; roundsFactor: number }> = [
  { arms: ['rawPut', 'create', 'save'], roundsFactor: 1 },
  { arms: ['rawPutValidated', 'createChecked'], roundsFactor: 1 },
  { arms: ['rawGet', 'find'], roundsFactor: 2 },
  { arms: ['rawPutApp', 'saveApp'], roundsFactor: 1 },
  { arms: ['rawGetApp', 'findApp'], roundsFactor: 2 },
  { arms: ['rawQuery', 'query'], roundsFactor: 1 },
  // Alone: what building and compiling the query costs per call (no baseline; reported, not a row).
  { arms: ['queryParams'], roundsFactor: 1 },
];

export interface Row {
  operation: string;
  baseline: ArmKey;
  subject: ArmKey;
  targetUs?: number;
}

export const ROWS: readonly Row[] = [
  { operation: 'put: `Model.create(attrs)`', baseline: 'rawPut', subject: 'create', targetUs: TARGET_PUT_US },
  { operation: 'put: `Model.build(attrs).save()`', baseline: 'rawPut', subject: 'save', targetUs: TARGET_PUT_US },
  {
    operation: 'put: `Model.create(attrs)` with class-validator constraints (baseline: `validate()` + PutCommand)',
    baseline: 'rawPutValidated',
    subject: 'createChecked',
    targetUs: TARGET_PUT_US,
  },
  { operation: 'get: `Model.find(id)`', baseline: 'rawGet', subject: 'find', targetUs: TARGET_GET_US },
  {
    operation: 'put, typical user table (GSI, Set, timestamps, version, TTL): `Model.build(u).save()`',
    baseline: 'rawPutApp',
    subject: 'saveApp',
    targetUs: TARGET_PUT_US,
  },
  { operation: 'get, typical user table: `Model.find(id)`', baseline: 'rawGetApp', subject: 'findApp', targetUs: TARGET_GET_US },
  {
    operation: 'query, 25 items (4 Dates and a Set each): `Model.where(pk =).where(sk between).orderBy(sk, desc).all()`',
    baseline: 'rawQuery',
    subject: 'query',
    targetUs: TARGET_QUERY_US,
  },
];

/** Pairs whose requests must be identical before anything is timed (baseline, subject). */
export const EQUIVALENT_PAIRS: ReadonlyArray<readonly [ArmKey, ArmKey]> = [
  ['rawPut', 'create'],
  ['rawPut', 'save'],
  ['rawPutValidated', 'createChecked'],
  ['rawGet', 'find'],
  ['rawPutApp', 'saveApp'],
  ['rawGetApp', 'findApp'],
  ['rawQuery', 'query'],
];

/** One arm's figures, one per round, in µs per call. */
export interface ArmFigures {
  name: string;
  /** Process CPU time (all threads). */
  cpuUs: number[];
  /** Main-thread CPU time (Linux schedstat; empty elsewhere). */
  mainUs: number[];
  wallUs: number[];
  /** Process CPU time of each block of calls; block b of every arm of a group ran in the same turn. */
  blockCpuUs: number[];
}

/** What the timing child reports. */
export interface TimingReport {
  arms: Partial<Record<ArmKey, ArmFigures>>;
  settings: { rounds: number; calls: number; block: number; warmup: number };
  build: string;
  /** Set when the two sides of a pair do not send the same request. */
  problems?: string[];
}
