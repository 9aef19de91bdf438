import { IsoInstantSchema } from '../common/formats.schema.ts';
import { ModelError } from '../common/model-error.ts';
import type { GlucoseAccumulator } from './glucose-accumulator.ts';
import { GLUCOSE_EPISODE_KINDS, GLUCOSE_EPISODE_KIND_NAMES, findEpisodes, type GlucoseEpisodeKind } from './glucose-episodes.ts';
import { GLUCOSE_TARGETS, glycemiaRiskIndex, meetsTarget, type GlucoseTargetName } from './glucose-risk.ts';
import type { GlucoseStatistics } from './glucose-statistics.schema.ts';
import { accumulateGlucose, type GlucoseStream, type StatisticsReading } from './glucose-time-segments.ts';
import { DAY_MS, localClock } from './local-clock.ts';
import { timeWeightedPercentiles } from './time-weighted-percentile.ts';

/** AGP percentiles reported per hour of the day. */
export const AGP_PERCENTILES = [5, 25, 50, 75, 95] as const;
/** The consensus's data sufficiency: at least this many days, with at least this percent of CGM time active. */
export const SUFFICIENT_DAYS = 14;
export const SUFFICIENT_ACTIVE_PERCENT = 70;

const MINUTE_MS = 60_000;

export interface GlucoseStatisticsOptions {
  /** Window start, inclusive: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly from: string;
  /** Window end, exclusive. */
  readonly to: string;
  /** IANA zone whose local days and clock hours the cadence and the AGP use; default `UTC`. */
  readonly timeZone?: string;
}

function parseInstant(name: string, value: string): number {
  if (!IsoInstantSchema.safeParse(value).success) {
    throw new ModelError('models.invalidStatisticsWindow', `${name} ${JSON.stringify(value)} is not a UTC instant`, {
      [name]: value,
    });
  }
  return Date.parse(value);
}

const ZERO = 48; // '0'

function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Epoch ms of a `YYYY-MM-DDTHH:mm:ss.sssZ` instant by arithmetic: about
 * 5× faster than `Date.parse`, which matters at 26,000 readings. Anything
 * not of that exact shape goes through `Date.parse`.
 */
export function instantToEpochMs(instant: string): number {
  if (instant.length !== 24 || instant.charCodeAt(23) !== 90 /* Z */ || instant.charCodeAt(10) !== 84 /* T */) {
    return Date.parse(instant);
  }
  const days = daysFromCivil(digits(instant, 0, 4), digits(instant, 5, 7), digits(instant, 8, 10));
  const seconds = ((days * 24 + digits(instant, 11, 13)) * 60 + digits(instant, 14, 16)) * 60 + digits(instant, 17, 19);
  return seconds * 1000 + digits(instant, 20, 23);
}


/** The window as epoch ms, checked: both UTC instants, `from` before `to`. */
export function statisticsWindow(options: GlucoseStatisticsOptions): { fromMs: number; toMs: number } {
  const fromMs = parseInstant('from', options.from);
  const toMs = parseInstant('to', options.to);
  if (!(fromMs < toMs)) {
    throw new ModelError('models.invalidStatisticsWindow', `from ${options.from} is not before to ${options.to}`, {
      from: options.from,
      to: options.to,
    });
  }
  return { fromMs, toMs };
}

/**
 * The glucose report of the CGM readings over [from, to), by time: each
 * reading stands for the time until the next one, at most twice its
 * stream's cadence (see `accumulateGlucose`); every figure is a share of
 * that active time. Pass the readings from `from` minus 30 minutes
 * (`MAX_GAP_MS`), so a reading just before the window covers its start;
 * earlier and later ones are ignored, and so are manual readings.
 */
export function glucoseStatistics(readings: readonly StatisticsReading[], options: GlucoseStatisticsOptions): GlucoseStatistics {
  const { fromMs, toMs } = statisticsWindow(options);
  const timeZone = options.timeZone ?? 'UTC';
  const clock = localClock(timeZone);
  const { accumulator, streams } = accumulateGlucose(readings, { fromMs, toMs, clock, toEpochMs: instantToEpochMs });
  return glucoseStatisticsFromAccumulator(accumulator, { ...options, timeZone }, streams);
}

const TARGET_TEXT = { '>': '> ', '<': '< ', '<=': '≤ ' } as const;
const EPISODE_THRESHOLD_TEXT = (kind: GlucoseEpisodeKind): string => {
  const threshold: { below?: number; above?: number } = GLUCOSE_EPISODE_KINDS[kind];
  return threshold.below !== undefined ? `< ${threshold.below}` : `> ${threshold.above}`;
};

/**
 * The report from an accumulator of [from, to) — one computed from the
 * readings, or merged from daily accumulators (docs/GLUCOSE-REPORT.md).
 */
export function glucoseStatisticsFromAccumulator(
  acc: GlucoseAccumulator,
  options: GlucoseStatisticsOptions,
  streams: readonly GlucoseStream[] = [],
): GlucoseStatistics {
  const { fromMs, toMs } = statisticsWindow(options);
  const active = acc.active_ms;
  const has = active > 0;
  const mean = has ? acc.value_ms / active : null;
  // Var = E[v²] − mean², never below 0 by rounding.
  const sd = mean === null ? null : Math.sqrt(Math.max(0, acc.square_ms / active - mean * mean));
  const cv = mean === null || sd === null || mean === 0 ? null : (sd / mean) * 100;
  const share = (ms: number) => (has ? (ms / active) * 100 : null);
  const [veryLowMs, lowMs, inRangeMs, highMs, veryHighMs] = acc.range_ms;
  const time_in_ranges = {
    very_low: share(veryLowMs),
    low: share(lowMs),
    in_range: share(inRangeMs),
    high: share(highMs),
    very_high: share(veryHighMs),
  };

  const windowMs = toMs - fromMs;
  const percent = Math.min(100, (active / windowMs) * 100);
  const days = windowMs / DAY_MS;
  const shortfalls: string[] = [];
  if (days < SUFFICIENT_DAYS) shortfalls.push(`the window spans ${round2(days)} days; the consensus needs at least ${SUFFICIENT_DAYS}`);
  if (percent < SUFFICIENT_ACTIVE_PERCENT) {
    shortfalls.push(`CGM time is active ${round2(percent)} % of the window; the consensus needs at least ${SUFFICIENT_ACTIVE_PERCENT} %`);
  }

  const gri = has
    ? glycemiaRiskIndex({
        very_low: time_in_ranges.very_low as number,
        low: time_in_ranges.low as number,
        high: time_in_ranges.high as number,
        very_high: time_in_ranges.very_high as number,
      })
    : { value: null, hypo_component: null, hyper_component: null, zone: null };

  const episodes = Object.fromEntries(
    GLUCOSE_EPISODE_KIND_NAMES.map((kind) => {
      const found = findEpisodes(acc.beyond[kind], acc.coverage);
      const total = found.reduce((sum, [start, end]) => sum + (end - start), 0) / MINUTE_MS;
      return [kind, { threshold: EPISODE_THRESHOLD_TEXT(kind), count: found.length, total_minutes: total, mean_minutes: found.length === 0 ? null : total / found.length }];
    }),
  ) as GlucoseStatistics['episodes'];

  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  const targetValues: Record<GlucoseTargetName, number | null> = {
    time_in_range: time_in_ranges.in_range,
    time_below_range: sum(time_in_ranges.very_low, time_in_ranges.low),
    time_very_low: time_in_ranges.very_low,
    time_above_range: sum(time_in_ranges.high, time_in_ranges.very_high),
    time_very_high: time_in_ranges.very_high,
    cv,
  };
  const targets = Object.fromEntries(
    (Object.keys(GLUCOSE_TARGETS) as GlucoseTargetName[]).map((name) => {
      const { figure, comparison, limit } = GLUCOSE_TARGETS[name];
      const value = targetValues[name];
      return [name, { figure, target: `${TARGET_TEXT[comparison]}${limit} %`, value, met: meetsTarget(name, value) }];
    }),
  ) as GlucoseStatistics['targets'];

  return {
    from: options.from,
    to: options.to,
    time_zone: options.timeZone ?? 'UTC',
    count: acc.count,
    mean,
    sd,
    sd_definition: 'population',
    cv,
    gmi: mean === null ? null : 3.31 + 0.02392 * mean,
    time_in_ranges,
    data_sufficiency: {
      percent,
      active_minutes: active / MINUTE_MS,
      window_minutes: windowMs / MINUTE_MS,
      days,
      sufficient: shortfalls.length === 0,
      reason: shortfalls.length === 0 ? null : shortfalls.join('; '),
    },
    gri,
    lbgi: has ? acc.low_risk_ms / active : null,
    hbgi: has ? acc.high_risk_ms / active : null,
    episodes,
    targets,
    streams: streams.map((stream) => ({ ...stream })),
    hourly: acc.hours.map((slot, hour) => {
      const held = [...slot.values].sort(([a], [b]) => a - b).map(([value, [weight, pieces]]) => ({ value, weight, pieces }));
      const [p5, p25, p50, p75, p95] = timeWeightedPercentiles(held, AGP_PERCENTILES);
      return { hour, count: slot.count, minutes: slot.ms / MINUTE_MS, p5: p5 ?? null, p25: p25 ?? null, p50: p50 ?? null, p75: p75 ?? null, p95: p95 ?? null };
    }),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
