import type { DynamoDBService } from '@vitals/dynamodb-core';
import {
  accumulateStretch,
  fromGlucoseRollup,
  glucoseReportDifferences,
  glucoseRollupEntity,
  glucoseStatistics,
  localClock,
  localDayName,
  type GlucoseReading,
  type GlucoseRollup,
} from '@vitals/models';
import fc from 'fast-check';
import type { Container } from 'inversify';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { GlucoseReadingRepository } from '../glucose-reading/glucose-reading.repository.ts';
import { UserSettingsRepository } from '../user-settings/user-settings.repository.ts';
import { GlucoseRollupService } from './glucose-rollup.service.ts';

const MINUTE_MS = 60_000;
const BASE = Date.parse('2026-03-27T18:00:00.000Z'); // days around Europe's spring DST change (Mar 29)
const ZONES = ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata'];

/** A CGM reading input at `ms`. */
const cgm = (ms: number, value: number, device = 'g7') => ({
  timestamp: new Date(ms).toISOString(),
  glucose_value: value,
  trend_direction: 'steady',
  source: device,
  device_info: { device_id: device, serial_number: `SN-${device}` },
});

/** Equal within a relative 1e-9 (docs/GLUCOSE-REPORT.md: sums merged in another order differ in the last bits). */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  expect(glucoseReportDifferences(actual, expected, path)).toEqual([]);
}

describe(GlucoseRollupService.name, () => {
  let container: Container;
  let db: DynamoDBService;
  let tablePrefix: string;
  let readings: GlucoseReadingRepository;
  let rollups: GlucoseRollupService;
  let settings: UserSettingsRepository;
  let users = 0;

  beforeAll(async () => {
    ({ container, db, settings: { table_prefix: tablePrefix } } = await testContainer());
    readings = container.get(GlucoseReadingRepository);
    rollups = container.get(GlucoseRollupService);
    settings = container.get(UserSettingsRepository);
  });
  afterAll(() => container.unbindAll());

  async function allReadings(user: string): Promise<GlucoseReading[]> {
    const found: GlucoseReading[] = [];
    for await (const reading of readings.iterateRange(user)) found.push(reading);
    return found;
  }

  async function storedRollups(user: string): Promise<GlucoseRollup[]> {
    const items = await db.items.query({
      tableName: glucoseRollupEntity.tableName(tablePrefix),
      keyConditionExpression: 'user_id = :user',
      expressionAttributeValues: { ':user': user },
      consistentRead: true,
    });
    return items as GlucoseRollup[];
  }

  /** Every stored rollup equals its day computed afresh from the readings now stored. */
  async function expectRollupsCurrent(user: string, timeZone: string): Promise<number> {
    const raw = await allReadings(user);
    const clock = localClock(timeZone);
    const stored = await storedRollups(user);
    for (const rollup of stored) {
      const fresh = accumulateStretch(raw, rollup.start_ms, rollup.end_ms, clock);
      // Exactly: the same readings through the same code (Maps of the histograms compared entry by entry).
      expect({ day: rollup.day, ...fromGlucoseRollup(rollup) }).toEqual({ day: rollup.day, ...fresh });
    }
    // And every day holding a reading (or the 30 minutes after one) has a rollup.
    const days = new Set(stored.map((rollup) => rollup.day));
    for (const reading of raw) {
      const ms = Date.parse(reading.timestamp);
      for (const day of [clock.dayOf(ms), clock.dayOf(ms + 30 * MINUTE_MS)]) {
        if (!days.has(localDayName(day))) throw new Error(`no rollup of ${localDayName(day)} after a reading at ${reading.timestamp}`);
      }
    }
    return stored.length;
  }

  it('for random series, writes and deletes in batches and random windows, the report from rollups equals the report from readings', async () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 30 }), jitter: fc.integer({ min: -20, max: 20 }), value: fc.oneof(fc.integer({ min: 40, max: 400 }), fc.constantFrom(39, 401)) });
    const stream = fc.record({ device: fc.constantFrom('dexcom', 'libre'), cadence: fc.constantFrom(1, 5, 15), steps: fc.array(step, { minLength: 20, maxLength: 250 }), offset: fc.integer({ min: 0, max: 24 * 60 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(stream, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 6 }), // batches
        fc.array(fc.nat(), { maxLength: 5 }), // readings to delete (by index)
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 36 * 60 }), // window start, minutes after BASE
        fc.integer({ min: 1, max: 4 * 24 * 60 }), // window length, minutes
        async (streams, batches, deletions, timeZone, fromMinute, spanMinutes) => {
          const user = `rollup-property-${(users += 1)}`;
          await settings.save(user, { time_zone: timeZone });
          const byTime = new Map<number, object>();
          for (const { device, cadence, steps, offset } of streams) {
            let ms = BASE + offset * MINUTE_MS;
            for (const { gap, jitter, value } of steps) {
              ms += (gap > 26 ? gap - 20 : 1) * cadence * MINUTE_MS + jitter * 1000;
              byTime.set(ms, cgm(ms, value, device));
            }
          }
          const inputs = [...byTime.values()];
          // In batches out of time order: a later batch changes days an earlier one already rolled up.
          const size = Math.ceil(inputs.length / batches);
          for (let b = batches - 1; b >= 0; b -= 1) await readings.saveMany(user, inputs.slice(b * size, (b + 1) * size));
          for (const index of deletions) {
            const victim = inputs[index % inputs.length] as { timestamp: string };
            await readings.delete(user, victim.timestamp);
          }
          await expectRollupsCurrent(user, timeZone);

          const fromMs = BASE + fromMinute * MINUTE_MS;
          const window = { from: new Date(fromMs).toISOString(), to: new Date(fromMs + spanMinutes * MINUTE_MS).toISOString(), timeZone };
          const expected = glucoseStatistics(await allReadings(user), window);
          expectClose(await rollups.report(user, window), expected);
        },
      ),
      // No shrinking: each run writes to DynamoDB, and the first counterexample already names the day that differs.
      { numRuns: 25, endOnFailure: true },
    );
  }, 600_000);

  it('reads whole days from the rollups: a rollup changed behind the readings shows in the report', async () => {
    const user = 'rollup-source';
    const start = Date.parse('2026-05-01T00:00:00.000Z');
    await readings.saveMany(user, Array.from({ length: 3 * 288 }, (_, i) => cgm(start + i * 300_000, 120)));
    const window = { from: '2026-05-01T00:00:00.000Z', to: '2026-05-04T00:00:00.000Z' };
    expect((await rollups.report(user, window)).mean).toBeCloseTo(120, 9);
    // Doubling a stored day's value sum moves the mean only if the report reads the rollup, not the readings.
    const [first] = await storedRollups(user);
    await db.items.putItem({ tableName: glucoseRollupEntity.tableName(tablePrefix), item: { ...(first as GlucoseRollup), value_ms: (first as GlucoseRollup).value_ms * 2 } });
    expect((await rollups.report(user, window)).mean).toBeCloseTo(160, 9);
    // A rebuild repairs it.
    expect((await rollups.rebuildRange(user, { from: '2026-05-01', to: '2026-05-03' })).days).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect((await rollups.report(user, window)).mean).toBeCloseTo(120, 9);
  });

  it('concurrent writes to one day both end up in its rollup (versioned stores)', async () => {
    const user = 'rollup-concurrent';
    const start = Date.parse('2026-06-01T00:00:00.000Z');
    const batch = (offset: number, value: number) =>
      Array.from({ length: 40 }, (_, i) => cgm(start + (offset + i * 6) * 300_000, value));
    await Promise.all([0, 1, 2, 3, 4, 5].map((offset) => readings.saveMany(user, batch(offset, 80 + offset * 20))));
    await expectRollupsCurrent(user, 'UTC');
    const [rollup] = await storedRollups(user);
    expect(rollup?.count).toBe(240);
  });

  it('a day of 1-minute readings with every value distinct per hour and gaps everywhere stays far under 400 KB', async () => {
    const user = 'rollup-size';
    const start = Date.parse('2026-07-01T00:00:00.000Z');
    // Every other minute missing a reading now and then, values swinging across every threshold: the most runs and histogram entries.
    const day = Array.from({ length: 1_440 }, (_, i) => i)
      .filter((i) => i % 7 !== 3)
      .map((i) => cgm(start + i * MINUTE_MS, 39 + ((i * 37) % 363)));
    await readings.saveMany(user, day);
    const [rollup] = await storedRollups(user);
    // DynamoDB counts a binary attribute by its bytes: JSON with each blob replaced by that many characters is an upper bound.
    const size = Buffer.byteLength(JSON.stringify(rollup, (_key, value: unknown) => (value instanceof Uint8Array ? 'x'.repeat(value.byteLength) : value)));
    expect(size).toBeLessThan(100_000);
    await expectRollupsCurrent(user, 'UTC');
  });

  it('in a zone other than the user\'s, the report is computed from readings and leaves the rollups alone', async () => {
    const user = 'rollup-other-zone';
    const start = Date.parse('2026-08-01T00:00:00.000Z');
    await readings.saveMany(user, Array.from({ length: 4 * 288 }, (_, i) => cgm(start + i * 300_000, 60 + (i % 200))));
    const before = await storedRollups(user);
    const window = { from: '2026-08-01T00:00:00.000Z', to: '2026-08-05T00:00:00.000Z', timeZone: 'Asia/Kolkata' };
    expectClose(await rollups.report(user, window), glucoseStatistics(await allReadings(user), window));
    expect(await storedRollups(user)).toEqual(before);
  });

  it('in a zone other than the user\'s, a rollup stamped with that zone is not trusted', async () => {
    const user = 'rollup-other-zone-stamped';
    const start = Date.parse('2026-08-01T00:00:00.000Z');
    await readings.saveMany(user, Array.from({ length: 2 * 288 }, (_, i) => cgm(start + i * 300_000, 60 + (i % 200))));
    const table = glucoseRollupEntity.tableName(tablePrefix);
    for (const rollup of await storedRollups(user)) await db.items.putItem({ tableName: table, item: { ...rollup, time_zone: 'Asia/Kolkata', count: 1 } });
    const window = { from: '2026-07-31T18:30:00.000Z', to: '2026-08-02T18:30:00.000Z', timeZone: 'Asia/Kolkata' };
    expectClose(await rollups.report(user, window), glucoseStatistics(await allReadings(user), window));
  });

  it('after a zone change and back, the first zone\'s earlier rollups are not trusted: writes meanwhile kept the other zone\'s days', async () => {
    const user = 'rollup-zone-back';
    const start = Date.parse('2026-09-01T00:00:00.000Z');
    await readings.saveMany(user, Array.from({ length: 3 * 288 }, (_, i) => cgm(start + i * 300_000, 60 + (i % 200))));
    await settings.save(user, { time_zone: 'Pacific/Kiritimati' });
    // Kept in Kiritimati's days only; the UTC rollup of 2026-09-02 still counts it.
    await readings.delete(user, '2026-09-02T12:00:00.000Z');
    await settings.save(user, { time_zone: 'UTC' });
    const window = { from: '2026-09-01T00:00:00.000Z', to: '2026-09-04T00:00:00.000Z' };
    expectClose(await rollups.report(user, window), glucoseStatistics(await allReadings(user), { ...window, timeZone: 'UTC' }));
  });
});
