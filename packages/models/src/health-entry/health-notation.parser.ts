import type { ParseLocation, ParseResult } from '../common/parse-result.ts';
import { parseFailure } from '../common/parse-result.ts';

/*
 * Parsers of the health log's raw notation (pain `6-7-8`, blood pressure
 * `129/59`, sleep `7:39`, O2 `97`). Each takes the value as found plus where
 * it was found, and returns the derived value or one
 * problem whose message reads `0523/1300: pain.back "6-x-8" is not a pain level`.
 * Surrounding whitespace is tolerated; anything else off-format is a problem.
 */

export const PAIN_LEVEL_MAX = 10;
export const SYSTOLIC_RANGE = { min: 50, max: 300 } as const;
export const DIASTOLIC_RANGE = { min: 20, max: 200 } as const;
export const O2_PERCENT_RANGE = { min: 50, max: 100 } as const;
/** Longest sleep one entry can record: a whole day. */
export const SLEEP_MINUTES_MAX = 24 * 60;

const PAIN = /^\d{1,2}(?:\s*[-/]\s*\d{1,2})*$/;
const BLOOD_PRESSURE = /^(\d{2,3})\s*\/\s*(\d{2,3})$/;
const SLEEP = /^(\d{1,2}):([0-5]\d)$/;
const O2 = /^(\d{1,3})\s*%?$/;

/** The text of a raw value: strings trimmed, integers (as JSON may hold them) accepted where noted. */
function text(value: unknown, allowNumber: boolean): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (allowNumber && typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}

export interface PainLevel {
  /** Every level written, in order: `6-7-8` → `[6, 7, 8]`. */
  readonly levels: readonly number[];
  /** The highest of them: what `max_pain_level` is made of. */
  readonly max: number;
}

/** A pain level: integers 0..10 joined by `-` or `/` (`5`, `6-7-8`, `7/8`). */
export function parsePainLevel(value: unknown, at: ParseLocation = {}): ParseResult<PainLevel> {
  const raw = text(value, true);
  const fail = () =>
    parseFailure(value, at, 'pain', 'a pain level', `integers 0..${PAIN_LEVEL_MAX} joined by "-" or "/", e.g. "6-7-8"`);
  if (raw === undefined || !PAIN.test(raw)) return fail();
  const levels = raw.split(/[-/]/).map((part) => Number(part.trim()));
  if (levels.some((level) => level > PAIN_LEVEL_MAX)) return fail();
  return { ok: true, value: { levels, max: Math.max(...levels) } };
}

export interface BloodPressure {
  readonly systolic: number;
  readonly diastolic: number;
}

/**
 * A blood pressure `systolic/diastolic` (`129/59`): integers, systolic
 * 50..300, diastolic 20..200, systolic above diastolic.
 */
export function parseBloodPressure(value: unknown, at: ParseLocation = {}): ParseResult<BloodPressure> {
  const raw = text(value, false);
  const match = raw === undefined ? null : BLOOD_PRESSURE.exec(raw);
  const fail = () =>
    parseFailure(
      value,
      at,
      'bpr',
      'a blood pressure',
      `"systolic/diastolic" integers, systolic ${SYSTOLIC_RANGE.min}..${SYSTOLIC_RANGE.max} above diastolic ${DIASTOLIC_RANGE.min}..${DIASTOLIC_RANGE.max}, e.g. "129/59"`,
    );
  if (!match) return fail();
  const systolic = Number(match[1]);
  const diastolic = Number(match[2]);
  const plausible =
    systolic >= SYSTOLIC_RANGE.min &&
    systolic <= SYSTOLIC_RANGE.max &&
    diastolic >= DIASTOLIC_RANGE.min &&
    diastolic <= DIASTOLIC_RANGE.max &&
    systolic > diastolic;
  return plausible ? { ok: true, value: { systolic, diastolic } } : fail();
}

/** A sleep duration `H:MM` or `HH:MM` (`7:39` → 459), minutes 00..59, at most 24:00. */
export function parseSleep(value: unknown, at: ParseLocation = {}): ParseResult<number> {
  const raw = text(value, false);
  const match = raw === undefined ? null : SLEEP.exec(raw);
  const fail = () => parseFailure(value, at, 'sleep', 'a sleep duration', '"H:MM" or "HH:MM" up to "24:00", e.g. "7:39"');
  if (!match) return fail();
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= SLEEP_MINUTES_MAX ? { ok: true, value: minutes } : fail();
}

/** An O2 saturation: an integer percent 50..100, optionally with `%` (`88`, `97%`). */
export function parseO2(value: unknown, at: ParseLocation = {}): ParseResult<number> {
  const raw = text(value, true);
  const match = raw === undefined ? null : O2.exec(raw);
  const fail = () =>
    parseFailure(value, at, 'o2', 'an O2 percent', `an integer percent ${O2_PERCENT_RANGE.min}..${O2_PERCENT_RANGE.max}, e.g. "97"`);
  if (!match) return fail();
  const percent = Number(match[1]);
  return percent >= O2_PERCENT_RANGE.min && percent <= O2_PERCENT_RANGE.max ? { ok: true, value: percent } : fail();
}
