import { emptyGlucoseAccumulator, type GlucoseAccumulator } from '../glucose-reading/glucose-accumulator.ts';
import { GLUCOSE_EPISODE_KIND_NAMES, appendRun, type TimeRun } from '../glucose-reading/glucose-episodes.ts';
import { glucoseStatisticsFromAccumulator, instantToEpochMs, type GlucoseStatisticsOptions } from '../glucose-reading/glucose-statistics.ts';
import type { GlucoseStatistics } from '../glucose-reading/glucose-statistics.schema.ts';
import { DEFAULT_CADENCE_MS, accumulateGlucose, type GlucoseStream, type StatisticsReading } from '../glucose-reading/glucose-time-segments.ts';
import type { LocalClock } from '../glucose-reading/local-clock.ts';
import type { GlucoseRollup } from './glucose-rollup.schema.ts';
import { localDayName } from './local-day.ts';
import { RollupBlobReader, RollupBlobWriter } from './rollup-blob.ts';

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

/** Whole mg/dL values 0..1000 are merged in dense arrays; any other value in a map. */
const DENSE_VALUES = 1001;

/**
 * Merges stretches in time order into one accumulator — partial days from
 * readings (`addStretch`) and whole days straight from their stored bytes
 * (`addRollup`, no intermediate maps) — then reports. The sums are added in
 * the order the stretches come, each value's time and pieces too, so the
 * result is the very accumulator `mergeGlucoseAccumulators` would build;
 * runs are appended, merging where they touch at midnight. Per hour, whole
 * mg/dL values (every value a CGM sends in mg/dL) go into typed arrays:
 * a year of days adds ~110,000 histogram entries, and a map per day and
 * hour cost more to build and to merge than the rest of the report.
 */
export class GlucoseStretchMerge {
  private readonly acc = emptyGlucoseAccumulator();
  private readonly denseMs = new Float64Array(24 * DENSE_VALUES);
  private readonly densePieces = new Float64Array(24 * DENSE_VALUES);
  private readonly streams: (readonly GlucoseStream[])[] = [];

  /** A stretch computed from readings (or decoded). */
  addStretch(stretch: GlucoseStretch): void {
    const next = stretch.accumulator;
    this.addSums(next.count, next.active_ms, next.range_ms, next.value_ms, next.square_ms, next.low_risk_ms, next.high_risk_ms);
    next.hours.forEach((hour, index) => {
      this.addHour(index, hour.count, hour.ms);
      for (const [value, [ms, pieces]] of hour.values) this.addValue(index, value, ms, pieces);
    });
    const target = this.acc;
    for (const [start, end] of next.coverage) appendRun(target.coverage, start, end);
    for (const kind of GLUCOSE_EPISODE_KIND_NAMES) for (const [start, end] of next.beyond[kind]) appendRun(target.beyond[kind], start, end);
    this.streams.push(stretch.streams);
  }

  /** A whole day as stored, decoded straight into the merge. */
  addRollup(rollup: GlucoseRollupBody): void {
    this.addSums(rollup.count, rollup.active_ms, rollup.range_ms, rollup.value_ms, rollup.square_ms, rollup.low_risk_ms, rollup.high_risk_ms);
    readHistogram(rollup.histogram, {
      hour: (hour, count, ms) => this.addHour(hour, count, ms),
      value: (hour, value, ms, pieces) => this.addValue(hour, value, ms, pieces),
    });
    const lists = [this.acc.coverage, ...GLUCOSE_EPISODE_KIND_NAMES.map((kind) => this.acc.beyond[kind])];
    readRuns(rollup.runs, rollup.start_ms, (list, start, end) => appendRun(lists[list] as TimeRun[], start, end));
    this.streams.push(rollup.streams);
  }

  /** The merged accumulator (each hour's values ascending). Call once, after the last stretch. */
  accumulator(): GlucoseAccumulator {
    this.acc.hours.forEach((hour, index) => {
      const entries: [number, [number, number]][] = [...hour.values];
      const base = index * DENSE_VALUES;
      for (let value = 0; value < DENSE_VALUES; value += 1) {
        const pieces = this.densePieces[base + value] as number;
        if (pieces !== 0) entries.push([value, [this.denseMs[base + value] as number, pieces]]);
      }
      hour.values = new Map(entries.sort(([a], [b]) => a - b));
    });
    return this.acc;
  }

  /** The report of [from, to) from everything added. */
  report(options: GlucoseStatisticsOptions): GlucoseStatistics {
    return glucoseStatisticsFromAccumulator(this.accumulator(), options, mergeGlucoseStreams(this.streams));
  }

  private addSums(count: number, active: number, ranges: readonly number[], value: number, square: number, low: number, high: number): void {
    const acc = this.acc;
    acc.count += count;
    acc.active_ms += active;
    ranges.forEach((ms, index) => (acc.range_ms[index] += ms));
    acc.value_ms += value;
    acc.square_ms += square;
    acc.low_risk_ms += low;
    acc.high_risk_ms += high;
  }

  private addHour(hour: number, count: number, ms: number): void {
    const slot = this.acc.hours[hour] as GlucoseAccumulator['hours'][number];
    slot.count += count;
    slot.ms += ms;
  }

  private addValue(hour: number, value: number, ms: number, pieces: number): void {
    if (Number.isInteger(value) && value >= 0 && value < DENSE_VALUES) {
      const at = hour * DENSE_VALUES + value;
      (this.denseMs[at] as number) += ms;
      (this.densePieces[at] as number) += pieces;
      return;
    }
    const values = (this.acc.hours[hour] as GlucoseAccumulator['hours'][number]).values;
    const held = values.get(value);
    if (held === undefined) values.set(value, [ms, pieces]);
    else {
      held[0] += ms;
      held[1] += pieces;
    }
  }
}

/** The report of [from, to) from its stretches in time order (partial days from readings, whole days from rollups). */
export function glucoseStatisticsFromStretches(stretches: readonly GlucoseStretch[], options: GlucoseStatisticsOptions): GlucoseStatistics {
  const merge = new GlucoseStretchMerge();
  for (const stretch of stretches) merge.addStretch(stretch);
  return merge.report(options);
}

const RUN_LISTS = ['coverage', ...GLUCOSE_EPISODE_KIND_NAMES] as const;

interface HistogramVisitor {
  hour(hour: number, count: number, ms: number): void;
  value(hour: number, value: number, ms: number, pieces: number): void;
}

/** Per hour 0..23: readings starting in it, ms covered, n, then n entries value, ms, pieces (ascending by value). */
function writeHistogram(acc: GlucoseAccumulator): Uint8Array<ArrayBuffer> {
  const blob = new RollupBlobWriter();
  for (const hour of acc.hours) {
    blob.u32(hour.count);
    blob.u32(hour.ms);
    blob.u32(hour.values.size);
    for (const [value, [ms, pieces]] of [...hour.values].sort(([x], [y]) => x - y)) {
      blob.u16(value);
      blob.u32(ms);
      blob.u16(pieces);
    }
  }
  return blob.bytes();
}

function readHistogram(bytes: Uint8Array, visit: HistogramVisitor): void {
  const blob = new RollupBlobReader(bytes);
  for (let hour = 0; hour < 24; hour += 1) {
    visit.hour(hour, blob.u32(), blob.u32());
    const entries = blob.u32();
    for (let entry = 0; entry < entries; entry += 1) visit.value(hour, blob.u16(), blob.u32(), blob.u16());
  }
  if (!blob.done()) throw new RangeError('rollup histogram has bytes after its 24 hours');
}

/** Per run list (coverage, then the four episode kinds): n, then n start/end pairs in ms from the day's start. */
function writeRuns(acc: GlucoseAccumulator, base: number): Uint8Array<ArrayBuffer> {
  const blob = new RollupBlobWriter();
  for (const list of RUN_LISTS) {
    const runs = list === 'coverage' ? acc.coverage : acc.beyond[list];
    blob.u32(runs.length);
    for (const [start, end] of runs) {
      blob.u32(start - base);
      blob.u32(end - base);
    }
  }
  return blob.bytes();
}

function readRuns(bytes: Uint8Array, base: number, visit: (list: number, start: number, end: number) => void): void {
  const blob = new RollupBlobReader(bytes);
  for (let list = 0; list < RUN_LISTS.length; list += 1) {
    const runs = blob.u32();
    for (let run = 0; run < runs; run += 1) visit(list, blob.u32() + base, blob.u32() + base);
  }
  if (!blob.done()) throw new RangeError('rollup runs have bytes after their five lists');
}

/** What a rollup stores of a day besides its key, version and time stamp. */
export type GlucoseRollupBody = Omit<GlucoseRollup, 'user_id' | 'version' | 'updated_at'>;

/** The stored form of local day `day` ([startMs, endMs) in `timeZone`, of settings version `settingsVersion`) and its stretch. */
export function toGlucoseRollupBody(
  stretch: GlucoseStretch,
  day: { day: number; startMs: number; endMs: number; timeZone: string; settingsVersion: number },
): GlucoseRollupBody {
  const acc = stretch.accumulator;
  return {
    day: localDayName(day.day),
    time_zone: day.timeZone,
    settings_version: day.settingsVersion,
    start_ms: day.startMs,
    end_ms: day.endMs,
    count: acc.count,
    active_ms: acc.active_ms,
    range_ms: [...acc.range_ms],
    value_ms: acc.value_ms,
    square_ms: acc.square_ms,
    low_risk_ms: acc.low_risk_ms,
    high_risk_ms: acc.high_risk_ms,
    histogram: writeHistogram(acc),
    runs: writeRuns(acc, day.startMs),
    streams: stretch.streams.map((stream) => ({ ...stream })),
  };
}

/** The stretch a stored rollup holds. */
export function fromGlucoseRollup(rollup: GlucoseRollupBody): GlucoseStretch {
  const accumulator = emptyGlucoseAccumulator();
  accumulator.count = rollup.count;
  accumulator.active_ms = rollup.active_ms;
  accumulator.range_ms = [...rollup.range_ms];
  accumulator.value_ms = rollup.value_ms;
  accumulator.square_ms = rollup.square_ms;
  accumulator.low_risk_ms = rollup.low_risk_ms;
  accumulator.high_risk_ms = rollup.high_risk_ms;
  const hours = accumulator.hours;
  readHistogram(rollup.histogram, {
    hour: (hour, count, ms) => Object.assign(hours[hour] as GlucoseAccumulator['hours'][number], { count, ms }),
    value: (hour, value, ms, pieces) => void (hours[hour] as GlucoseAccumulator['hours'][number]).values.set(value, [ms, pieces]),
  });
  const lists = [accumulator.coverage, ...GLUCOSE_EPISODE_KIND_NAMES.map((kind) => accumulator.beyond[kind])];
  readRuns(rollup.runs, rollup.start_ms, (list, start, end) => (lists[list] as TimeRun[]).push([start, end]));
  return { accumulator, streams: rollup.streams.map((stream) => ({ ...stream })) };
}
