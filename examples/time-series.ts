// A time series: temperature readings per device, keyed by device and time (a Date sort
// key), read by time range newest first, counted, averaged lazily, and kept for 30 days
// through @TTL (a reading past its expiry is never returned, even before DynamoDB deletes it).
//
//   npx tsx examples/time-series.ts
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/time-series.ts
import { Attribute, BaseModel, Model, PartitionKey, SortKey, TTL, deleteTable, ensureTable } from 'dynamorm';
import { withDynamo } from './support/local';

const HOUR_MS = 3_600_000;
const RETENTION_MS = 30 * 24 * HOUR_MS;

@Model({ table: 'readings' })
export class Reading extends BaseModel {
  @PartitionKey() deviceId!: string;
  @SortKey({ type: Date }) at!: Date; // stored as ISO text, so the sort order is time order
  @Attribute({ type: Number }) celsius!: number;
  @Attribute({ set: true }) flags?: Set<string>;
  @TTL() expiresAt!: Date;
}

// Yesterday, 00:00 UTC: the readings cover that day, so the times printed are the same on
// every run while the 30-day retention stays ahead of now.
const DAY = new Date(Math.floor(Date.now() / (24 * HOUR_MS)) * 24 * HOUR_MS - 24 * HOUR_MS);
const at = (hour: number, minute = 0) => new Date(DAY.getTime() + hour * HOUR_MS + minute * 60_000);
const hhmm = (date: Date) => date.toISOString().slice(11, 16);

/** A smooth daily curve: coolest at 03:00, warmest (24 °C) at 15:00. */
const temperature = (hour: number) => Math.round((16 + 8 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) * 10) / 10;

async function seed(): Promise<void> {
  for (const deviceId of ['sensor-a', 'sensor-b']) {
    for (let hour = 0; hour < 24; hour++) {
      const time = at(hour);
      await Reading.create({
        deviceId,
        at: time,
        celsius: deviceId === 'sensor-a' ? temperature(hour) : 20,
        flags: hour === 7 || hour === 19 ? new Set(['door-open']) : undefined,
        expiresAt: new Date(time.getTime() + RETENTION_MS),
      });
    }
  }
  // A calibration reading kept for one hour, written two hours ago: expired. DynamoDB deletes
  // expired items within days; until then, dynamorm leaves them out of every read.
  await Reading.create({ deviceId: 'sensor-a', at: at(12, 30), celsius: 99, expiresAt: new Date(Date.now() - HOUR_MS) });
}

export async function main(): Promise<void> {
  await withDynamo(async () => {
    await ensureTable(Reading);
    try {
      await seed();
      console.log('seeded 24 hourly readings for sensor-a and sensor-b, and one expired calibration reading');

      // A time range, newest first: the key condition takes the device and the range.
      const morning = Reading.where('deviceId', '=', 'sensor-a').where('at', 'between', at(6), at(9)).orderBy('at', 'desc');
      const readings = await morning.all();
      console.log(`sensor-a 06:00-09:00, newest first: ${readings.map((r) => `${hhmm(r.at)} ${r.celsius}°C`).join(', ')}`);
      console.log(`  at is a Date: ${readings[0].at instanceof Date}; flags at 07:00: ${[...(readings[2].flags ?? [])].join(', ')}`);
      const { params } = morning.explain();
      console.log(
        `  request: ${String(params.KeyConditionExpression)}, ScanIndexForward ${String(params.ScanIndexForward)}, filter ${String(params.FilterExpression)}`,
      );

      // count(): Select COUNT over the same key condition.
      const workday = await Reading.where('deviceId', '=', 'sensor-a').where('at', 'between', at(8), at(17)).count();
      const all = await Reading.where('deviceId', '=', 'sensor-a').count();
      console.log(`readings of sensor-a: ${workday} between 08:00 and 17:00, ${all} in all (the expired one not counted)`);

      // The expired calibration reading (12:30) is not returned, swept or not.
      const noon = await Reading.where('deviceId', '=', 'sensor-a').where('at', 'between', at(12), at(13)).all();
      console.log(`sensor-a 12:00-13:00: ${noon.map((r) => hhmm(r.at)).join(', ')} (the expired 12:30 reading is hidden)`);

      // The latest reading: newest first, first().
      const latest = await Reading.where('deviceId', '=', 'sensor-a').orderBy('at', 'desc').first();
      console.log(`latest reading of sensor-a: ${latest ? `${hhmm(latest.at)} ${latest.celsius}°C` : 'none'}`);

      // Readings above a threshold: a filter after the key condition.
      const warm = await Reading.where('deviceId', '=', 'sensor-a').filter('celsius', '>=', 22).orderBy('at', 'asc').all();
      console.log(`sensor-a at 22°C or more: ${warm.length} readings, ${hhmm(warm[0].at)} to ${hhmm(warm[warm.length - 1].at)}`);

      // for await reads lazily, page by page: an average without holding every reading.
      let sum = 0;
      let n = 0;
      for await (const reading of Reading.where('deviceId', '=', 'sensor-a').where('at', '>=', at(0))) {
        sum += reading.celsius;
        n += 1;
      }
      console.log(`daily average of sensor-a over ${n} readings: ${(sum / n).toFixed(1)}°C`);

      // Readings with a flag: `contains` on a Set.
      const doors = await Reading.where('deviceId', '=', 'sensor-b').filter('flags', 'contains', 'door-open').all();
      console.log(`sensor-b door-open readings: ${doors.map((r) => hhmm(r.at)).join(', ')}`);
    } finally {
      await deleteTable(Reading, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
