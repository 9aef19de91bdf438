import { DexcomError } from './dexcom-error.ts';

/** Dexcom answers at most this many days of EGVs per request. */
export const MAX_EGV_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
export const MAX_EGV_WINDOW_MS = MAX_EGV_WINDOW_DAYS * DAY_MS;

/** An instant as callers give it: a `Date`, or a string `Date.parse` reads (RFC 3339 with any offset). */
export type InstantLike = Date | string;

/** A window of whole UTC seconds, `start` before `end`. */
export interface EgvWindow {
  start: Date;
  end: Date;
}

function toMillis(value: InstantLike, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new DexcomError('dexcom.invalidArgument', `${name} is not a valid instant`, { details: { [name]: String(value) } });
  }
  return ms;
}

/** Dexcom's query format: UTC `YYYY-MM-DDThh:mm:ss`, no fraction, no offset. */
export function formatDexcomTime(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

/** An instant as a Dexcom query parameter, rounded down to the second; `dexcom.invalidArgument` when it is not one. */
export function dexcomQueryTime(value: InstantLike, name: string): string {
  return formatDexcomTime(new Date(Math.floor(toMillis(value, name) / 1000) * 1000));
}

/**
 * A window at Dexcom's precision: `start` down, `end` up to the whole second,
 * so the window asked for covers the one given. Throws
 * `dexcom.invalidArgument` when either end is not an instant or `end` is
 * not after `start`.
 */
export function wholeSecondWindow(start: InstantLike, end: InstantLike): EgvWindow {
  const from = Math.floor(toMillis(start, 'start') / 1000) * 1000;
  const to = Math.ceil(toMillis(end, 'end') / 1000) * 1000;
  if (!(to > from)) {
    throw new DexcomError('dexcom.invalidArgument', 'the window must end after it starts', {
      details: { start: new Date(from).toISOString(), end: new Date(to).toISOString() },
    });
  }
  return { start: new Date(from), end: new Date(to) };
}

/**
 * Splits `[start, end]` into consecutive windows of at most
 * {@link MAX_EGV_WINDOW_DAYS} days, in order, each one a valid `egvs`
 * request. Each window starts where the previous one ended: Dexcom does not
 * document whether its bounds are inclusive, so a reading exactly on a
 * boundary may come twice, never not at all (readings are stored
 * idempotently per timestamp). An empty window (`end` equal to `start`
 * after rounding) gives none.
 */
export function egvWindows(start: InstantLike, end: InstantLike): EgvWindow[] {
  const from = Math.floor(toMillis(start, 'start') / 1000) * 1000;
  const to = Math.ceil(toMillis(end, 'end') / 1000) * 1000;
  if (to < from) {
    throw new DexcomError('dexcom.invalidArgument', 'the window must not end before it starts', {
      details: { start: new Date(from).toISOString(), end: new Date(to).toISOString() },
    });
  }
  const windows: EgvWindow[] = [];
  for (let at = from; at < to; at += MAX_EGV_WINDOW_MS) {
    windows.push({ start: new Date(at), end: new Date(Math.min(at + MAX_EGV_WINDOW_MS, to)) });
  }
  return windows;
}

// `YYYY-MM-DDThh:mm:ss`, an optional fraction, then `Z`, `±hh:mm`, `±hhmm` or nothing.
const DEXCOM_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** A Dexcom date-time taken apart: its local part as written, its milliseconds, and its offset from UTC. */
interface DexcomTimeParts {
  local: string;
  millis: number;
  offsetMs: number;
  /** The instant, epoch milliseconds. */
  epochMs: number;
}

/**
 * Reads a Dexcom date-time with plain arithmetic (no `Date.parse`, no round
 * trip through `Date`): the sync reads one for every record three times
 * (`systemTime` and `displayTime` in its schema, `systemTime` to map it), and
 * the `Date` way was a twentieth of the sync worker's CPU. Calendar-impossible
 * values (`02-30`, `24:00`, an offset beyond `23:59`) are refused, not rolled
 * over; digits beyond the millisecond are dropped.
 */
function readDexcomTime(value: string): DexcomTimeParts | undefined {
  const match = DEXCOM_DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((group) => Number(match[group])) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const [fraction, sign, offsetHours, offsetMinutes] = [match[7], match[8], Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const localMs = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return { local: value.slice(0, 19), millis, offsetMs, epochMs: localMs - offsetMs };
}

/** Whether `value` is a Dexcom date-time (`dexcomTimeToIso` would answer an instant), without writing the instant out. */
export function isDexcomDateTime(value: string): boolean {
  return readDexcomTime(value) !== undefined;
}

/**
 * A Dexcom date-time as the UTC instant it names (`Date#toISOString`), or
 * `undefined` when it is not one. Dexcom writes `systemTime` in UTC,
 * without an offset for receivers and with one for the mobile apps; without
 * an offset it is read as UTC. Calendar-impossible values (`02-30`,
 * `24:00`) are refused, not rolled over.
 */
export function dexcomTimeToIso(value: string): string | undefined {
  const parts = readDexcomTime(value);
  if (parts === undefined) return undefined;
  // In UTC already (the usual `systemTime`): the local part is the instant's, and no Date needs formatting.
  if (parts.offsetMs === 0) return `${parts.local}.${String(parts.millis).padStart(3, '0')}Z`;
  return new Date(parts.epochMs).toISOString();
}
