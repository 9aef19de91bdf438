import { emptyGlucoseAccumulator, type GlucoseAccumulator } from '../glucose-reading/glucose-accumulator.ts';
import { GLUCOSE_EPISODE_KIND_NAMES, appendRun, type TimeRun } from '../glucose-reading/glucose-episodes.ts';
import { glucoseStatisticsFromAccumulator, instantToEpochMs, type GlucoseStatisticsOptions } from '../glucose-reading/glucose-statistics.ts';
import type { GlucoseStatistics } from '../glucose-reading/glucose-statistics.schema.ts';
import { DEFAULT_CADENCE_MS, accumulateGlucose, type GlucoseStream, type StatisticsReading } from '../glucose-reading/glucose-time-segments.ts';
import type { LocalClock } from '../glucose-reading/local-clock.ts';
import type { GlucoseRollup } from './glucose-rollup.schema.ts';
import { localDayName } from './local-day.ts';

/** The accumulator of a stretch of time with its streams: a day from a rollup, or a partial day from readings. */
export interface GlucoseStretch {
  accumulator: GlucoseAccumulator;
  streams: GlucoseStream[];
}

/**
 * The stretch [fromMs, toMs) from its readings — pass those from `fromMs`
 * minus 30 min (`MAX_GAP_MS`) up to `toMs`; others are ignored.
 */
export function accumulateStretch(readings: readonly StatisticsReading[], fromMs: number, toMs: number, clock: LocalClock): GlucoseStretch {
  return accumulateGlucose(readings, { fromMs, toMs, clock, toEpochMs: instantToEpochMs });
}

const streamKey = (stream: GlucoseStream) => `${stream.source ?? ''}\u0000${stream.device_id ?? ''}\u0000${stream.serial_number ?? ''}`;

/**
 * The streams of consecutive stretches, as `accumulateGlucose` finds them
 * over the whole: in order of first appearance, counts added, each with the
 * cadence that applied to most of its readings (the shorter on a tie).
 */
export function mergeGlucoseStreams(lists: readonly (readonly GlucoseStream[])[]): GlucoseStream[] {
  const merged = new Map<string, { stream: GlucoseStream; byCadence: Map<number, number> }>();
  for (const list of lists) {
    for (const stream of list) {
      const key = streamKey(stream);
      let entry = merged.get(key);
      if (entry === undefined) {
        entry = { stream: { ...stream, count: 0 }, byCadence: new Map() };
        merged.set(key, entry);
      }
      entry.stream.count += stream.count;
      // A stretch's stream with no reading of its own (only the carry-in before it) says nothing of the cadence.
      if (stream.count > 0) entry.byCadence.set(stream.cadence_minutes, (entry.byCadence.get(stream.cadence_minutes) ?? 0) + stream.count);
    }
  }
  return [...merged.values()].map(({ stream, byCadence }) => {
    let best = DEFAULT_CADENCE_MS / 60_000;
    let most = -1;
    for (const [cadence, count] of byCadence) {
      if (count > most || (count === most && cadence < best)) [best, most] = [cadence, count];
    }
    return { ...stream, cadence_minutes: best };
  });
}

/**
 * `mergeGlucoseAccumulators(target, next)` in place: the same sums in the
 * same order, runs appended (merging where they touch). Merging a year of
 * days one by one with the copying merge costs quadratic time in the runs.
 */
function addAccumulator(target: GlucoseAccumulator, next: GlucoseAccumulator): void {
  target.count += next.count;
  target.active_ms += next.active_ms;
  next.range_ms.forEach((ms, index) => (target.range_ms[index] += ms));
  target.value_ms += next.value_ms;
  target.square_ms += next.square_ms;
  target.low_risk_ms += next.low_risk_ms;
  target.high_risk_ms += next.high_risk_ms;
  next.hours.forEach((hour, index) => {
    const slot = target.hours[index] as GlucoseAccumulator['hours'][number];
    slot.count += hour.count;
    slot.ms += hour.ms;
    for (const [value, [ms, pieces]] of hour.values) {
      const held = slot.values.get(value);
      if (held === undefined) slot.values.set(value, [ms, pieces]);
      else {
        held[0] += ms;
        held[1] += pieces;
      }
    }
  });
  for (const [start, end] of next.coverage) appendRun(target.coverage, start, end);
  for (const kind of GLUCOSE_EPISODE_KIND_NAMES) for (const [start, end] of next.beyond[kind]) appendRun(target.beyond[kind], start, end);
}

/** The report of [from, to) from its stretches in time order (partial days from readings, whole days from rollups). */
export function glucoseStatisticsFromStretches(stretches: readonly GlucoseStretch[], options: GlucoseStatisticsOptions): GlucoseStatistics {
  const accumulator = emptyGlucoseAccumulator();
  for (const stretch of stretches) addAccumulator(accumulator, stretch.accumulator);
  return glucoseStatisticsFromAccumulator(accumulator, options, mergeGlucoseStreams(stretches.map((stretch) => stretch.streams)));
}

/** Float64 numbers as little-endian bytes (exact: every JavaScript number survives). */
function toBytes(numbers: readonly number[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(numbers.length * 8);
  const view = new DataView(bytes.buffer);
  numbers.forEach((value, index) => view.setFloat64(index * 8, value, true));
  return bytes;
}

function fromBytes(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const numbers = new Float64Array(bytes.byteLength / 8);
  for (let index = 0; index < numbers.length; index += 1) numbers[index] = view.getFloat64(index * 8, true);
  return numbers;
}

const RUN_LISTS = ['coverage', ...GLUCOSE_EPISODE_KIND_NAMES] as const;

/** What a rollup stores of a day besides its key, version and time stamp. */
export type GlucoseRollupBody = Omit<GlucoseRollup, 'user_id' | 'version' | 'updated_at'>;

/** The stored form of local day `day` ([startMs, endMs) in `timeZone`) and its stretch. */
export function toGlucoseRollupBody(stretch: GlucoseStretch, day: { day: number; startMs: number; endMs: number; timeZone: string }): GlucoseRollupBody {
  const acc = stretch.accumulator;
  const base = day.startMs;
  const histogram: number[] = [];
  for (const hour of acc.hours) {
    histogram.push(hour.values.size);
    for (const [value, [ms, pieces]] of [...hour.values].sort(([x], [y]) => x - y)) histogram.push(value, ms, pieces);
  }
  const runs: number[] = [];
  for (const list of RUN_LISTS) {
    const from = list === 'coverage' ? acc.coverage : acc.beyond[list];
    runs.push(from.length);
    for (const [start, end] of from) runs.push(start - base, end - base);
  }
  return {
    day: localDayName(day.day),
    time_zone: day.timeZone,
    start_ms: day.startMs,
    end_ms: day.endMs,
    count: acc.count,
    active_ms: acc.active_ms,
    range_ms: [...acc.range_ms],
    value_ms: acc.value_ms,
    square_ms: acc.square_ms,
    low_risk_ms: acc.low_risk_ms,
    high_risk_ms: acc.high_risk_ms,
    hour_counts: acc.hours.map((hour) => hour.count),
    hour_ms: acc.hours.map((hour) => hour.ms),
    histogram: toBytes(histogram),
    runs: toBytes(runs),
    streams: stretch.streams.map((stream) => ({ ...stream })),
  };
}

/** The stretch a stored rollup holds. */
export function fromGlucoseRollup(rollup: GlucoseRollupBody): GlucoseStretch {
  const base = rollup.start_ms;
  const histogram = fromBytes(rollup.histogram);
  let at = 0;
  const hours = rollup.hour_counts.map((count, hour) => {
    const values = new Map<number, [number, number]>();
    const entries = histogram[at++] as number;
    for (let i = 0; i < entries; i += 1, at += 3) values.set(histogram[at] as number, [histogram[at + 1] as number, histogram[at + 2] as number]);
    return { count, ms: rollup.hour_ms[hour] as number, values };
  });
  const runs = fromBytes(rollup.runs);
  at = 0;
  const lists = RUN_LISTS.map(() => {
    const list: TimeRun[] = [];
    const n = runs[at++] as number;
    for (let i = 0; i < n; i += 1, at += 2) list.push([(runs[at] as number) + base, (runs[at + 1] as number) + base]);
    return list;
  });
  const accumulator: GlucoseAccumulator = {
    count: rollup.count,
    active_ms: rollup.active_ms,
    range_ms: [...rollup.range_ms],
    value_ms: rollup.value_ms,
    square_ms: rollup.square_ms,
    low_risk_ms: rollup.low_risk_ms,
    high_risk_ms: rollup.high_risk_ms,
    hours,
    coverage: lists[0] as TimeRun[],
    beyond: Object.fromEntries(GLUCOSE_EPISODE_KIND_NAMES.map((kind, index) => [kind, lists[index + 1] as TimeRun[]])) as GlucoseAccumulator['beyond'],
  };
  return { accumulator, streams: rollup.streams.map((stream) => ({ ...stream })) };
}
