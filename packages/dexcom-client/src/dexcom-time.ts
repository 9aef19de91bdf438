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
const DEXCOM_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A Dexcom date-time as the UTC instant it names (`Date#toISOString`), or
 * `undefined` when it is not one. Dexcom writes `systemTime` in UTC,
 * without an offset for receivers and with one for the mobile apps; without
 * an offset it is read as UTC. Calendar-impossible values (`02-30`,
 * `24:00`) are refused, not rolled over.
 */
export function dexcomTimeToIso(value: string): string | undefined {
  const match = DEXCOM_DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [, local = '', fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const ms = Date.parse(`${local}${millis}${offset}`);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 02-30 over into March; a round trip of the local part catches it.
  const offsetMs = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  if (new Date(ms + offsetMs).toISOString().slice(0, 19) !== local) return undefined;
  return new Date(ms).toISOString();
}
