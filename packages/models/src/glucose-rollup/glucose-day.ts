import { emptyGlucoseAccumulator, mergeGlucoseAccumulators, type GlucoseAccumulator } from '../glucose-reading/glucose-accumulator.ts';
import { GLUCOSE_EPISODE_KIND_NAMES, type TimeRun } from '../glucose-reading/glucose-episodes.ts';
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

/** The report of [from, to) from its stretches in time order (partial days from readings, whole days from rollups). */
export function glucoseStatisticsFromStretches(stretches: readonly GlucoseStretch[], options: GlucoseStatisticsOptions): GlucoseStatistics {
  let accumulator = emptyGlucoseAccumulator();
  for (const stretch of stretches) accumulator = mergeGlucoseAccumulators(accumulator, stretch.accumulator);
  return glucoseStatisticsFromAccumulator(accumulator, options, mergeGlucoseStreams(stretches.map((stretch) => stretch.streams)));
}

const flatRuns = (runs: readonly TimeRun[], base: number): number[] => runs.flatMap(([start, end]) => [start - base, end - base]);

function runsOf(flat: readonly number[], base: number): TimeRun[] {
  const runs: TimeRun[] = [];
  for (let i = 0; i < flat.length; i += 2) runs.push([(flat[i] as number) + base, (flat[i + 1] as number) + base]);
  return runs;
}

/** What a rollup stores of a day besides its key, version and time stamp. */
export type GlucoseRollupBody = Omit<GlucoseRollup, 'user_id' | 'version' | 'updated_at'>;

/** The stored form of local day `day` ([startMs, endMs) in `timeZone`) and its stretch. */
export function toGlucoseRollupBody(stretch: GlucoseStretch, day: { day: number; startMs: number; endMs: number; timeZone: string }): GlucoseRollupBody {
  const acc = stretch.accumulator;
  const base = day.startMs;
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
    hours: acc.hours.map((hour) => ({
      count: hour.count,
      ms: hour.ms,
      values: [...hour.values].sort(([a], [b]) => a - b).flatMap(([value, [ms, pieces]]) => [value, ms, pieces]),
    })),
    coverage: flatRuns(acc.coverage, base),
    beyond: Object.fromEntries(GLUCOSE_EPISODE_KIND_NAMES.map((kind) => [kind, flatRuns(acc.beyond[kind], base)])) as GlucoseRollupBody['beyond'],
    streams: stretch.streams.map((stream) => ({ ...stream })),
  };
}

/** The stretch a stored rollup holds. */
export function fromGlucoseRollup(rollup: GlucoseRollupBody): GlucoseStretch {
  const base = rollup.start_ms;
  const accumulator: GlucoseAccumulator = {
    count: rollup.count,
    active_ms: rollup.active_ms,
    range_ms: [...rollup.range_ms],
    value_ms: rollup.value_ms,
    square_ms: rollup.square_ms,
    low_risk_ms: rollup.low_risk_ms,
    high_risk_ms: rollup.high_risk_ms,
    hours: rollup.hours.map((hour) => {
      const values = new Map<number, [number, number]>();
      for (let i = 0; i < hour.values.length; i += 3) values.set(hour.values[i] as number, [hour.values[i + 1] as number, hour.values[i + 2] as number]);
      return { count: hour.count, ms: hour.ms, values };
    }),
    coverage: runsOf(rollup.coverage, base),
    beyond: Object.fromEntries(GLUCOSE_EPISODE_KIND_NAMES.map((kind) => [kind, runsOf(rollup.beyond[kind], base)])) as GlucoseAccumulator['beyond'],
  };
  return { accumulator, streams: rollup.streams.map((stream) => ({ ...stream })) };
}
