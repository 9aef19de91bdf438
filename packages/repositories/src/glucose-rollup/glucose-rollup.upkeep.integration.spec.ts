import type { DynamoDBService } from '@vitals/dynamodb-core';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { GlucoseReadingInputSchema, accumulateStretch, fromGlucoseRollup, glucoseReadingEntity, glucoseRollupEntity, localClock, type GlucoseReading, type GlucoseRollup } from '@vitals/models';
import type { Container } from 'inversify';
import { GlucoseReadingRepository } from '../glucose-reading/glucose-reading.repository.ts';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { startRequestCounter, type RequestCounter } from '../test-support/request-counter.ts';

const START = Date.parse('2026-03-10T00:00:00.000Z');
/** One local (UTC) day of 5-minute readings, as the sync worker hands them over. */
const day = (value: (i: number) => number) =>
  Array.from({ length: 288 }, (_, i) =>
    GlucoseReadingInputSchema.parse({
      timestamp: new Date(START + i * 300_000).toISOString(),
      glucose_value: value(i),
      trend_direction: 'steady',
      device_info: { device_id: 'g7', serial_number: 'SN-1' },
    }),
  );

/**
 * What the rollup upkeep adds to a save, counted in DynamoDB requests by a
 * proxy in front of DynamoDB Local (the sync worker pays it on every job).
 */
describe('daily rollup upkeep of a save', () => {
  let counter: RequestCounter;
  let container: Container;
  let db: DynamoDBService;
  let repository: GlucoseReadingRepository;
  let tablePrefix: string;

  beforeAll(async () => {
    counter = await startRequestCounter(testDynamoDBEndpoint());
    ({ container, db, settings: { table_prefix: tablePrefix } } = await testContainer({}, { endpoint: counter.endpoint }));
    repository = container.get(GlucoseReadingRepository);
  });
  afterAll(async () => {
    container.unbindAll();
    await counter.close();
  });

  async function expectRollupsCurrent(user: string): Promise<void> {
    const readings = (await db.items.query({
      tableName: glucoseReadingEntity.tableName(tablePrefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': user },
    })) as unknown as GlucoseReading[];
    const rollups = (await db.items.query({
      tableName: glucoseRollupEntity.tableName(tablePrefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': user },
    })) as unknown as GlucoseRollup[];
    expect(rollups.map((rollup) => rollup.day)).toEqual(['2026-03-10', '2026-03-11']);
    for (const rollup of rollups) {
      expect(fromGlucoseRollup(rollup)).toEqual(accumulateStretch(readings, rollup.start_ms, rollup.end_ms, localClock('UTC')));
    }
  }

  it('a first day of 288 readings: the settings and the two days’ puts, neither versions nor readings read back', async () => {
    counter.take();
    const saved = await repository.saveManyParsedWithCounts('upkeep-first', day((i) => 60 + (i % 200)));
    expect(saved.counts).toEqual({ new: 288, changed: 0, unchanged: 0 });
    // The store: its newest-timestamp Query and 12 BatchWriteItem of 25. The upkeep: GetItem (settings), 2 PutItem on condition that none exists.
    expect(counter.take()).toEqual({ Query: 1, BatchWriteItem: 12, GetItem: 1, PutItem: 2 });
    await expectRollupsCurrent('upkeep-first');
  });

  it('a backfill of 12 days stores its 13 days up to 8 at once, each once', async () => {
    const user = 'upkeep-backfill';
    const readings = Array.from({ length: 12 }, (_, offset) =>
      day((i) => 70 + ((i + offset) % 150)).map((reading) => ({ ...reading, timestamp: new Date(Date.parse(reading.timestamp) + offset * 86_400_000).toISOString() })),
    ).flat();
    counter.take();
    await repository.saveManyParsedWithCounts(user, readings);
    const peaks = counter.peaks();
    // 12 days and the 13th the last reading reaches into, each put once on condition that none exists.
    expect(counter.take()['PutItem']).toBe(13);
    expect(peaks['PutItem']).toBeGreaterThan(1);
    expect(peaks['PutItem']).toBeLessThanOrEqual(8);
  });

  it('a save that finds no reading where a rollup stands (its readings deleted) stores the day after reading it again', async () => {
    const user = 'upkeep-deleted';
    const readings = day((i) => 60 + (i % 200));
    await repository.saveManyParsedWithCounts(user, readings.slice(0, 3));
    for (const reading of readings.slice(0, 3)) await repository.delete(user, reading.timestamp);
    counter.take();
    await repository.saveManyParsedWithCounts(user, readings);
    // The day of 2026-03-10 keeps a rollup of no readings: its put on condition of none fails, and it is read and stored again.
    expect(counter.take()).toMatchObject({ PutItem: 3, GetItem: 1, Query: 2 });
    await expectRollupsCurrent(user);
  });

  it('a first save of two streams handed over out of time order stores what the readings, read back in order, give', async () => {
    const stream = (device: string, offsetMs: number) =>
      day((i) => 80 + ((i * 13) % 150)).map((reading) => ({
        ...reading,
        timestamp: new Date(Date.parse(reading.timestamp) + offsetMs).toISOString(),
        device_info: { device_id: device, serial_number: `SN-${device}` },
      }));
    // The later-starting stream first: the day's streams must still be listed in order of first appearance in time.
    await repository.saveManyParsedWithCounts('upkeep-order', [...stream('libre', 120_000).slice(0, 200), ...stream('g7', 0).slice(0, 200)]);
    const readings = (await db.items.query({
      tableName: glucoseReadingEntity.tableName(tablePrefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': 'upkeep-order' },
    })) as unknown as GlucoseReading[];
    const [rollup] = (await db.items.query({
      tableName: glucoseRollupEntity.tableName(tablePrefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': 'upkeep-order' },
    })) as unknown as GlucoseRollup[];
    expect(rollup?.streams.map((s) => s.device_id)).toEqual(['g7', 'libre']);
    expect(fromGlucoseRollup(rollup as GlucoseRollup)).toEqual(accumulateStretch(readings, START, START + 86_400_000, localClock('UTC')));
  });

  it('the same 288 saved again unchanged: the readings are read once for the upkeep, and nothing is written', async () => {
    const user = 'upkeep-again';
    await repository.saveManyParsedWithCounts(user, day((i) => 60 + (i % 200)));
    counter.take();
    const saved = await repository.saveManyParsedWithCounts(user, day((i) => 60 + (i % 200)));
    expect(saved.counts).toEqual({ new: 0, changed: 0, unchanged: 288 });
    // The store: Query (newest) and 3 BatchGetItem of 100. The upkeep: Query (versions), Query (the readings); the settings the first save read are reused.
    expect(counter.take()).toEqual({ Query: 3, BatchGetItem: 3 });
    await expectRollupsCurrent(user);
  });

  it('a scheduled sync’s tail of 12 new readings on a day already stored: the day’s readings are read once, and one day is put', async () => {
    const user = 'upkeep-tail';
    const readings = day((i) => 60 + (i % 200));
    await repository.saveManyParsedWithCounts(user, readings.slice(0, 200));
    counter.take();
    const saved = await repository.saveManyParsedWithCounts(user, readings.slice(200, 212));
    expect(saved.counts).toEqual({ new: 12, changed: 0, unchanged: 0 });
    // The store: Query (newest; every reading is after it, so no BatchGetItem) and 1 BatchWriteItem. The upkeep: Query (versions), Query (the day's readings), 1 PutItem; the settings are reused.
    expect(counter.take()).toEqual({ Query: 3, BatchWriteItem: 1, PutItem: 1 });
  });

  it('an unchanged re-save still repairs a stale day, and a changed reading is always stored', async () => {
    const user = 'upkeep-repair';
    await repository.saveManyParsedWithCounts(user, day((i) => 60 + (i % 200)));
    const table = glucoseRollupEntity.tableName(tablePrefix);
    const [stale] = (await db.items.query({ tableName: table, keyConditionExpression: 'user_id = :u', expressionAttributeValues: { ':u': user } })) as unknown as GlucoseRollup[];
    await db.items.putItem({ tableName: table, item: { ...(stale as GlucoseRollup), count: 1 } });
    counter.take();
    await repository.saveManyParsedWithCounts(user, day((i) => 60 + (i % 200)));
    expect(counter.take()['PutItem']).toBe(1);
    await expectRollupsCurrent(user);

    const changed = await repository.saveManyParsedWithCounts(user, day((i) => (i === 100 ? 250 : 60 + (i % 200))));
    expect(changed.counts).toEqual({ new: 0, changed: 1, unchanged: 287 });
    expect(counter.take()['PutItem']).toBe(2);
    await expectRollupsCurrent(user);
  });
});
