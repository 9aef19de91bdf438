import { GLUCOSE_EPISODE_KINDS, GLUCOSE_EPISODE_KIND_NAMES, appendRun, concatRuns, type GlucoseEpisodeKind, type TimeRun } from './glucose-episodes.ts';
import { glucoseRisk } from './glucose-risk.ts';

const HYPO_1 = GLUCOSE_EPISODE_KINDS.hypo_level_1.below;
const HYPO_2 = GLUCOSE_EPISODE_KINDS.hypo_level_2.below;
const HYPER_1 = GLUCOSE_EPISODE_KINDS.hyper_level_1.above;
const HYPER_2 = GLUCOSE_EPISODE_KINDS.hyper_level_2.above;

/** Kovatchev risk of whole mg/dL values 0..1000, computed once: logs and powers cost more than the rest of a piece. */
const RISK_CACHE_SIZE = 1001;
const lowRiskCache = new Float64Array(RISK_CACHE_SIZE).fill(Number.NaN);
const highRiskCache = new Float64Array(RISK_CACHE_SIZE);

function cacheRisk(value: number): number {
  const index = Number.isInteger(value) && value >= 0 && value < RISK_CACHE_SIZE ? value : -1;
  if (index >= 0 && !Number.isNaN(lowRiskCache[index] as number)) return index;
  const { low, high } = glucoseRisk(value);
  if (index < 0) {
    scratch[0] = low;
    scratch[1] = high;
    return -1;
  }
  lowRiskCache[index] = low;
  highRiskCache[index] = high;
  return index;
}
const scratch = new Float64Array(2);

/** The ranges of the consensus, in order: <54, [54,70), [70,180], (180,250], >250 mg/dL. */
export const GLUCOSE_RANGE_NAMES = ['very_low', 'low', 'in_range', 'high', 'very_high'] as const;
export type GlucoseRangeName = (typeof GLUCOSE_RANGE_NAMES)[number];

/** Index into {@link GLUCOSE_RANGE_NAMES} of a mg/dL value (LOW/HIGH sentinels 39/401 land in the outer ranges). */
export function rangeIndexOf(value: number): number {
  if (value < 54) return 0;
  if (value < 70) return 1;
  if (value <= 180) return 2;
  if (value <= 250) return 3;
  return 4;
}

/** One local hour of day: readings starting in it, and the time each value was held in it. */
export interface HourAccumulator {
  count: number;
  ms: number;
  /** value (mg/dL) → [ms held, pieces]: a histogram exact enough for the AGP percentiles. */
  values: Map<number, [ms: number, pieces: number]>;
}

/**
 * What the report needs of a stretch of time (a day, a window), and all of
 * it additive: two accumulators of adjacent stretches merge into the
 * accumulator of both ({@link mergeGlucoseAccumulators}). Durations are ms.
 * This is the shape a daily rollup stores (docs/GLUCOSE-REPORT.md).
 */
export interface GlucoseAccumulator {
  /** Readings starting in the stretch. */
  count: number;
  /** Active CGM time: the time covered by a reading. */
  active_ms: number;
  /** Time per range, in {@link GLUCOSE_RANGE_NAMES} order. */
  range_ms: [number, number, number, number, number];
  /** Σ value × ms and Σ value² × ms, for the time-weighted mean and SD. */
  value_ms: number;
  square_ms: number;
  /** Σ Kovatchev low / high risk × ms. */
  low_risk_ms: number;
  high_risk_ms: number;
  /** The 24 local hours of day. */
  hours: HourAccumulator[];
  /** Active time as time-ordered runs [start, end); touching runs are merged. */
  coverage: TimeRun[];
  /** Per episode kind, the time beyond its threshold as runs. */
  beyond: Record<GlucoseEpisodeKind, TimeRun[]>;
}

export function emptyGlucoseAccumulator(): GlucoseAccumulator {
  return {
    count: 0,
    active_ms: 0,
    range_ms: [0, 0, 0, 0, 0],
    value_ms: 0,
    square_ms: 0,
    low_risk_ms: 0,
    high_risk_ms: 0,
    hours: Array.from({ length: 24 }, () => ({ count: 0, ms: 0, values: new Map() })),
    coverage: [],
    beyond: { hypo_level_1: [], hypo_level_2: [], hyper_level_1: [], hyper_level_2: [] },
  };
}

/** Counts one reading starting in the stretch, in its local hour. */
export function addReadingStart(acc: GlucoseAccumulator, hour: number): void {
  acc.count += 1;
  (acc.hours[hour] as HourAccumulator).count += 1;
}

/**
 * Adds [start, end) during which glucose was `value`, lying in local hour
 * `hour`. Pieces must come in time order (runs are appended).
 */
export function addGlucosePiece(acc: GlucoseAccumulator, value: number, start: number, end: number, hour: number): void {
  const ms = end - start;
  acc.active_ms += ms;
  acc.range_ms[rangeIndexOf(value)] += ms;
  acc.value_ms += value * ms;
  acc.square_ms += value * value * ms;
  const risk = cacheRisk(value);
  acc.low_risk_ms += (risk < 0 ? (scratch[0] as number) : (lowRiskCache[risk] as number)) * ms;
  acc.high_risk_ms += (risk < 0 ? (scratch[1] as number) : (highRiskCache[risk] as number)) * ms;
  const slot = acc.hours[hour] as HourAccumulator;
  slot.ms += ms;
  const held = slot.values.get(value);
  if (held === undefined) slot.values.set(value, [ms, 1]);
  else {
    held[0] += ms;
    held[1] += 1;
  }
  appendRun(acc.coverage, start, end);
  if (value < HYPO_1) {
    appendRun(acc.beyond.hypo_level_1, start, end);
    if (value < HYPO_2) appendRun(acc.beyond.hypo_level_2, start, end);
  } else if (value > HYPER_1) {
    appendRun(acc.beyond.hyper_level_1, start, end);
    if (value > HYPER_2) appendRun(acc.beyond.hyper_level_2, start, end);
  }
}

/** The accumulator of two stretches, `b` after `a` in time. Neither is changed. */
export function mergeGlucoseAccumulators(a: GlucoseAccumulator, b: GlucoseAccumulator): GlucoseAccumulator {
  const hours = a.hours.map((hour, index) => {
    const other = b.hours[index] as HourAccumulator;
    const values = new Map<number, [number, number]>();
    for (const [value, [ms, pieces]] of hour.values) values.set(value, [ms, pieces]);
    for (const [value, [ms, pieces]] of other.values) {
      const held = values.get(value);
      values.set(value, held === undefined ? [ms, pieces] : [held[0] + ms, held[1] + pieces]);
    }
    return { count: hour.count + other.count, ms: hour.ms + other.ms, values };
  });
  const beyond = Object.fromEntries(GLUCOSE_EPISODE_KIND_NAMES.map((kind) => [kind, concatRuns(a.beyond[kind], b.beyond[kind])]));
  return {
    count: a.count + b.count,
    active_ms: a.active_ms + b.active_ms,
    range_ms: a.range_ms.map((ms, index) => ms + (b.range_ms[index] as number)) as GlucoseAccumulator['range_ms'],
    value_ms: a.value_ms + b.value_ms,
    square_ms: a.square_ms + b.square_ms,
    low_risk_ms: a.low_risk_ms + b.low_risk_ms,
    high_risk_ms: a.high_risk_ms + b.high_risk_ms,
    hours,
    coverage: concatRuns(a.coverage, b.coverage),
    beyond: beyond as GlucoseAccumulator['beyond'],
  };
}
