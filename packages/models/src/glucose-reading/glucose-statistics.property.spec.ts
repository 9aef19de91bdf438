import fc from 'fast-check';
import { emptyGlucoseAccumulator, mergeGlucoseAccumulators, rangeIndexOf } from './glucose-accumulator.ts';
import { glucoseStatistics, glucoseStatisticsFromAccumulator, instantToEpochMs } from './glucose-statistics.ts';
import { accumulateGlucose, type StatisticsReading } from './glucose-time-segments.ts';
import { localClock } from './local-clock.ts';
import { percentileOfSorted } from './time-weighted-percentile.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const BASE = Date.parse('2026-03-27T00:00:00.000Z'); // a week holding Europe's spring DST change (Mar 29)
const EVENING = BASE - 4 * HOUR_MS;
const ZONES = ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata'];

/** A glucose value as CGMs report it, LOW/HIGH sentinels included. */
const glucose = fc.oneof(fc.integer({ min: 40, max: 400 }), fc.constantFrom(39, 401));

/** Count-based figures, the way the route computed them before time weighting. */
function countBased(values: number[], hours: number[]) {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n);
  const ranges = [0, 0, 0, 0, 0];
  for (const value of values) (ranges[rangeIndexOf(value)] as number) += 1;
  const byHour: number[][] = Array.from({ length: 24 }, () => []);
  values.forEach((value, i) => (byHour[hours[i] as number] as number[]).push(value));
  return {
    mean,
    sd,
    ranges: ranges.map((count) => (count / n) * 100),
    hourly: byHour.map((list) => {
      const sorted = [...list].sort((a, b) => a - b);
      return [5, 25, 50, 75, 95].map((p) => percentileOfSorted(sorted, p));
    }),
  };
}

/** Deep equality with a relative tolerance on numbers: sums taken in another order differ in the last bits. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) throw new Error(`${path}: ${actual} ≠ ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') throw new Error(`${path}: ${JSON.stringify(actual)} is not an object`);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) expectClose((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    return;
  }
  if (actual !== expected) throw new Error(`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

describe('glucose-statistics properties', () => {
  it('when the series is regular and gap-free, the time-based figures equal the count-based ones', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 5, 15),
        fc.array(glucose, { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(...ZONES),
        (cadence, values, startSlot, timeZone) => {
          // Aligned to the cadence (which divides an hour), so no reading straddles a local hour.
          const start = BASE + startSlot * cadence * MINUTE_MS;
          const readings = values.map((glucose_value, i) => ({
            timestamp: new Date(start + i * cadence * MINUTE_MS).toISOString(),
            glucose_value,
          }));
          const from = new Date(start).toISOString();
          const to = new Date(start + values.length * cadence * MINUTE_MS).toISOString();
          const stats = glucoseStatistics(readings, { from, to, timeZone });
          const clock = localClock(timeZone);
          const expected = countBased(
            values,
            readings.map((reading) => clock.hourOf(Date.parse(reading.timestamp))),
          );
          expect(stats.count).toBe(values.length);
          expect(stats.data_sufficiency.percent).toBeCloseTo(100, 9);
          expect(stats.mean).toBeCloseTo(expected.mean, 9);
          expect(stats.sd).toBeCloseTo(expected.sd, 6);
          expect(stats.gmi).toBeCloseTo(3.31 + 0.02392 * expected.mean, 9);
          const ranges = stats.time_in_ranges;
          [ranges.very_low, ranges.low, ranges.in_range, ranges.high, ranges.very_high].forEach((percent, i) =>
            expect(percent).toBeCloseTo(expected.ranges[i] as number, 9),
          );
          stats.hourly.forEach((row, hour) => {
            const percentiles = expected.hourly[hour] as (number | null)[];
            [row.p5, row.p25, row.p50, row.p75, row.p95].forEach((value, i) => {
              if (percentiles[i] === null) expect(value).toBeNull();
              else expect(value).toBeCloseTo(percentiles[i] as number, 9);
            });
          });
          expect(stats.streams[0]?.cadence_minutes).toBe(cadence);
        },
      ),
    );
  });

  it('when a window is cut at local midnights, the merged days give the same report (the rollup contract)', () => {
    /** One stream: a cadence, then readings with jitter and occasional gaps. */
    const stream = fc.record({
      device: fc.constantFrom('dexcom', 'libre', 'libre3'),
      cadence: fc.constantFrom(1, 5, 15),
      steps: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 30 }), jitter: fc.integer({ min: -20, max: 20 }), value: glucose }), {
        minLength: 40,
        maxLength: 300,
      }),
      offset: fc.integer({ min: 0, max: 6 * 60 }),
    });
    fc.assert(
      fc.property(
        fc.array(stream, { minLength: 1, maxLength: 3 }),
        // From BASE 20:00 UTC: windows and streams around the local midnights of every zone tried.
        fc.integer({ min: 0, max: 10 * 60 }),
        fc.integer({ min: 1, max: 36 * 60 }),
        fc.constantFrom(...ZONES),
        (streams, fromMinute, spanMinutes, timeZone) => {
          const byTime = new Map<number, StatisticsReading>();
          for (const { device, cadence, steps, offset } of streams) {
            let ms = EVENING + offset * MINUTE_MS;
            for (const { gap, jitter, value } of steps) {
              // Mostly one cadence on; now and then a gap of several.
              ms += (gap > 26 ? gap - 20 : 1) * cadence * MINUTE_MS + jitter * 1000;
              byTime.set(ms, {
                timestamp: new Date(ms).toISOString(),
                glucose_value: value,
                source: device,
                device_info: { device_id: device, serial_number: `SN-${device}` },
              });
            }
          }
          const readings = [...byTime.values()];
          const fromMs = EVENING + fromMinute * MINUTE_MS;
          const toMs = fromMs + spanMinutes * MINUTE_MS;
          const window = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), timeZone };
          const clock = localClock(timeZone);
          // The local midnights inside the window: where the local day changes.
          const cuts = [fromMs];
          for (let at = fromMs; at < toMs; ) {
            const next = clock.nextHourChange(at);
            if (next < toMs && clock.dayOf(next) !== clock.dayOf(at)) cuts.push(next);
            at = next;
          }
          cuts.push(toMs);
          let merged = emptyGlucoseAccumulator();
          for (let i = 0; i + 1 < cuts.length; i += 1) {
            const day = accumulateGlucose(readings, { fromMs: cuts[i] as number, toMs: cuts[i + 1] as number, clock, toEpochMs: instantToEpochMs });
            merged = mergeGlucoseAccumulators(merged, day.accumulator);
          }
          const whole = glucoseStatistics(readings, window);
          expectClose(glucoseStatisticsFromAccumulator(merged, window, whole.streams), whole);
        },
      ),
      { numRuns: 60 },
    );
  });
});
