import type { ParseLocation, ParseResult } from '../common/parse-result.ts';
import { parseFailure } from '../common/parse-result.ts';

/** mg/dL per mmol/L of glucose (molar mass 180.1559 g/mol ÷ 10). */
export const MGDL_PER_MMOLL = 18.01559;
/** Stored value of a sensor `LOW` reading (out_of_range `low`). */
export const GLUCOSE_LOW_SENTINEL = 39;
/** Stored value of a sensor `HIGH` reading (out_of_range `high`). */
export const GLUCOSE_HIGH_SENTINEL = 401;
/** Physiological range a measured value must fall in, mg/dL, inclusive. */
export const GLUCOSE_MIN_MGDL = 20;
export const GLUCOSE_MAX_MGDL = 600;

export const TREND_DIRECTIONS = ['rising_rapidly', 'rising', 'steady', 'falling', 'falling_rapidly', 'unknown'] as const;
export type TrendDirection = (typeof TREND_DIRECTIONS)[number];

export type GlucoseUnit = 'mg/dL' | 'mmol/L';
export type OutOfRange = 'low' | 'high';

/** mmol/L → mg/dL: × 18.01559, rounded to the nearest integer. */
export function mmolToMgdl(mmolPerLiter: number): number {
  return Math.round(mmolPerLiter * MGDL_PER_MMOLL);
}

/** Trend names of Dexcom's v3 API (`egvs[].trend`), as it writes them. */
export const DEXCOM_TREND_NAMES = [
  'none',
  'unknown',
  'doubleUp',
  'singleUp',
  'fortyFiveUp',
  'flat',
  'fortyFiveDown',
  'singleDown',
  'doubleDown',
  'notComputable',
  'rateOutOfRange',
] as const;

/** Trend names of Nightscout's `direction`, as it writes them. */
export const NIGHTSCOUT_TREND_NAMES = [
  'NONE',
  'TripleUp',
  'DoubleUp',
  'SingleUp',
  'FortyFiveUp',
  'Flat',
  'FortyFiveDown',
  'SingleDown',
  'DoubleDown',
  'TripleDown',
  'NOT COMPUTABLE',
  'RATE OUT OF RANGE',
] as const;

// A Map, not an object literal: a word such as `constructor` must not find Object.prototype's member.
const TREND_OF_WORD: ReadonlyMap<string, TrendDirection> = new Map([
  ['tripleup', 'rising_rapidly'],
  ['doubleup', 'rising_rapidly'],
  ['singleup', 'rising'],
  ['fortyfiveup', 'rising'],
  ['flat', 'steady'],
  ['fortyfivedown', 'falling'],
  ['singledown', 'falling'],
  ['doubledown', 'falling_rapidly'],
  ['tripledown', 'falling_rapidly'],
]);

/**
 * A Dexcom or Nightscout trend word (`DoubleUp`, `fortyFiveDown`,
 * `TripleUp`, `NOT COMPUTABLE`, …) as a `trend_direction`. Case, spaces,
 * `_` and `-` are ignored; `NotComputable`, `RateOutOfRange`, `None`, empty
 * and unrecognised words are `unknown`.
 */
export function trendFromDexcom(word: string | null | undefined): TrendDirection {
  if (typeof word !== 'string') return 'unknown';
  return TREND_OF_WORD.get(word.toLowerCase().replace(/[\s_-]/g, '')) ?? 'unknown';
}

/**
 * A rate of change in mg/dL/min as a `trend_direction`:
 * `> 2` rising_rapidly, `[1, 2]` rising, `(-1, 1)` steady, `[-2, -1]` falling,
 * `< -2` falling_rapidly; missing or not finite is `unknown`.
 */
export function trendFromRate(mgdlPerMinute: number | null | undefined): TrendDirection {
  if (typeof mgdlPerMinute !== 'number' || !Number.isFinite(mgdlPerMinute)) return 'unknown';
  if (mgdlPerMinute > 2) return 'rising_rapidly';
  if (mgdlPerMinute >= 1) return 'rising';
  if (mgdlPerMinute > -1) return 'steady';
  if (mgdlPerMinute >= -2) return 'falling';
  return 'falling_rapidly';
}

/** A sensor value as stored: mg/dL, with the out-of-range flag for `LOW`/`HIGH`. */
export interface SensorGlucose {
  readonly glucose_value: number;
  readonly out_of_range?: OutOfRange;
}

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * Parses a sensor value as exports write it (`"123"`, `"6.8"`, `"Low"`,
 * `"HIGH"`): numbers in `unit` are converted to mg/dL; `Low`/`High` (any
 * case) become 39/401 with `out_of_range`, whatever the unit. Range checks
 * are left to `GlucoseReadingSchema`.
 */
export function parseSensorGlucose(
  raw: string | number,
  unit: GlucoseUnit = 'mg/dL',
  at: ParseLocation = {},
): ParseResult<SensorGlucose> {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const word = text.toLowerCase();
  if (word === 'low') return { ok: true, value: { glucose_value: GLUCOSE_LOW_SENTINEL, out_of_range: 'low' } };
  if (word === 'high') return { ok: true, value: { glucose_value: GLUCOSE_HIGH_SENTINEL, out_of_range: 'high' } };
  if (!NUMBER.test(text)) {
    return parseFailure(raw, at, 'glucose_value', 'a glucose value', `a number in ${unit}, "Low" or "High"`);
  }
  const value = Number(text);
  return { ok: true, value: { glucose_value: unit === 'mmol/L' ? mmolToMgdl(value) : value } };
}
