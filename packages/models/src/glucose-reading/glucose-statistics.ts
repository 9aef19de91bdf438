import { z } from 'zod';
import { IsoInstantSchema } from '../common/formats.schema.ts';
import { ModelError } from '../common/model-error.ts';
import type { GlucoseReading } from './glucose-reading.schema.ts';

/** Expected CGM cadence: one reading every 5 minutes. */
export const CGM_INTERVAL_MS = 5 * 60 * 1000;
/** AGP percentiles reported per hour of the day. */
export const AGP_PERCENTILES = [5, 25, 50, 75, 95] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const Percent = z.number().min(0).max(100).nullable();
const MaybeNumber = z.number().nullable();

/** Hourly AGP row; percentiles are `null` for an hour without readings. */
export const HourlyGlucosePercentilesSchema = z.strictObject({
  hour: z.number().int().min(0).max(23),
  count: z.number().int().min(0),
  p5: MaybeNumber,
  p25: MaybeNumber,
  p50: MaybeNumber,
  p75: MaybeNumber,
  p95: MaybeNumber,
});

/** The result of {@link glucoseStatistics}; also the shape of the API's stats response. */
export const GlucoseStatisticsSchema = z.strictObject({
  from: IsoInstantSchema,
  to: IsoInstantSchema,
  time_zone: z.string(),
  count: z.number().int().min(0),
  /** mg/dL */
  mean: MaybeNumber,
  /** Population standard deviation, mg/dL. */
  sd: MaybeNumber,
  /** Coefficient of variation, percent: sd / mean × 100. */
  cv: MaybeNumber,
  /** Glucose management indicator, percent: 3.31 + 0.02392 × mean. */
  gmi: MaybeNumber,
  /** Percent of readings per range: <54, [54,70), [70,180], (180,250], >250 mg/dL. */
  time_in_ranges: z.strictObject({
    very_low: Percent,
    low: Percent,
    in_range: Percent,
    high: Percent,
    very_high: Percent,
  }),
  /** Readings present vs. expected at a 5-minute cadence over [from, to). */
  data_sufficiency: z.strictObject({
    expected_count: z.number().int().min(0),
    percent: Percent,
  }),
  hourly: z.array(HourlyGlucosePercentilesSchema).length(24),
});

export type HourlyGlucosePercentiles = z.infer<typeof HourlyGlucosePercentilesSchema>;
export type GlucoseStatistics = z.infer<typeof GlucoseStatisticsSchema>;

export interface GlucoseStatisticsOptions {
  /** Window start, inclusive: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  readonly from: string;
  /** Window end, exclusive. */
  readonly to: string;
  /** IANA zone whose clock hours the AGP uses; default `UTC`. */
  readonly timeZone?: string;
}

/** Percentile by linear interpolation between closest ranks (R type 7, Excel PERCENTILE.INC). */
export function percentileOfSorted(sorted: ArrayLike<number>, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = ((n - 1) * percent) / 100;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, n - 1);
  const low = sorted[lower] as number;
  return low + (rank - lower) * ((sorted[upper] as number) - low);
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

/**
 * Maps epoch ms to the local hour of day in `timeZone`. Intl formatting is
 * slow, so UTC offsets are looked up per UTC day: a day whose offset is the
 * same at both ends uses it for every reading; a day holding a DST change is
 * split into hours the same way, and only the hour holding the change is
 * resolved reading by reading.
 */
function localHourFinder(timeZone: string): (ms: number) => number {
  const hourOfDay = (local: number) => Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
  if (timeZone === 'UTC') return hourOfDay;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (cause) {
    throw new ModelError('models.invalidTimeZone', `${JSON.stringify(timeZone)} is not an IANA time zone`, { timeZone }, { cause });
  }
  const offsetAt = (ms: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
    const local = Date.UTC(
      parts['year'] ?? 0,
      (parts['month'] ?? 1) - 1,
      parts['day'] ?? 1,
      parts['hour'] ?? 0,
      parts['minute'] ?? 0,
      parts['second'] ?? 0,
    );
    return local - (ms - (((ms % 1000) + 1000) % 1000));
  };
  /** The offset over [start, start + span), or null when it changes inside. */
  const steadyOffset = (start: number, span: number): number | null => {
    const first = offsetAt(start);
    return first === offsetAt(start + span - 1) ? first : null;
  };
  const days = new Map<number, number | null>();
  const hours = new Map<number, number | null>();
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let offset = days.get(day);
    if (offset === undefined) {
      offset = steadyOffset(day * DAY_MS, DAY_MS);
      days.set(day, offset);
    }
    if (offset === null) {
      const hour = Math.floor(ms / HOUR_MS);
      offset = hours.get(hour);
      if (offset === undefined) {
        offset = steadyOffset(hour * HOUR_MS, HOUR_MS);
        hours.set(hour, offset);
      }
    }
    return hourOfDay(ms + (offset ?? offsetAt(ms)));
  };
}

/**
 * Summary statistics of the readings in [from, to): mean, population SD,
 * CV, GMI, percent of readings per range (out-of-range sensor values count
 * as their sentinels 39/401), data sufficiency against a 5-minute cadence
 * (capped at 100), and hourly AGP percentiles in `timeZone`. Readings
 * outside the window are ignored. No readings gives count 0 and nulls.
 */
export function glucoseStatistics(
  readings: readonly Pick<GlucoseReading, 'timestamp' | 'glucose_value'>[],
  options: GlucoseStatisticsOptions,
): GlucoseStatistics {
  const fromMs = parseInstant('from', options.from);
  const toMs = parseInstant('to', options.to);
  if (!(fromMs < toMs)) {
    throw new ModelError('models.invalidStatisticsWindow', `from ${options.from} is not before to ${options.to}`, {
      from: options.from,
      to: options.to,
    });
  }
  const timeZone = options.timeZone ?? 'UTC';
  const hourOf = localHourFinder(timeZone);

  const byHour: number[][] = Array.from({ length: 24 }, () => []);
  const ranges = { very_low: 0, low: 0, in_range: 0, high: 0, very_high: 0 };
  let count = 0;
  let sum = 0;
  for (const reading of readings) {
    const ms = instantToEpochMs(reading.timestamp);
    if (!(ms >= fromMs && ms < toMs)) continue;
    const value = reading.glucose_value;
    count += 1;
    sum += value;
    if (value < 54) ranges.very_low += 1;
    else if (value < 70) ranges.low += 1;
    else if (value <= 180) ranges.in_range += 1;
    else if (value <= 250) ranges.high += 1;
    else ranges.very_high += 1;
    (byHour[hourOf(ms)] as number[]).push(value);
  }

  const mean = count === 0 ? null : sum / count;
  let sd: number | null = null;
  if (mean !== null) {
    let squares = 0;
    for (const values of byHour) for (const value of values) squares += (value - mean) ** 2;
    sd = Math.sqrt(squares / count);
  }
  const percentOf = (n: number) => (count === 0 ? null : (n / count) * 100);
  const expected_count = Math.ceil((toMs - fromMs) / CGM_INTERVAL_MS);

  return {
    from: options.from,
    to: options.to,
    time_zone: timeZone,
    count,
    mean,
    sd,
    cv: mean === null || sd === null || mean === 0 ? null : (sd / mean) * 100,
    gmi: mean === null ? null : 3.31 + 0.02392 * mean,
    time_in_ranges: {
      very_low: percentOf(ranges.very_low),
      low: percentOf(ranges.low),
      in_range: percentOf(ranges.in_range),
      high: percentOf(ranges.high),
      very_high: percentOf(ranges.very_high),
    },
    data_sufficiency: { expected_count, percent: Math.min(100, (count / expected_count) * 100) },
    hourly: byHour.map((values, hour) => {
      const sorted = Float64Array.from(values).sort();
      const [p5, p25, p50, p75, p95] = AGP_PERCENTILES.map((p) => percentileOfSorted(sorted, p));
      return { hour, count: values.length, p5: p5 ?? null, p25: p25 ?? null, p50: p50 ?? null, p75: p75 ?? null, p95: p95 ?? null };
    }),
  };
}
