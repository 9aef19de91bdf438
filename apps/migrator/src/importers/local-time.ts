const HOUR_MS = 3_600_000;
const SHAPE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$/;

/** The number written by `length` ASCII digits at `start` (the shape is already checked). */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * Every UTC instant (epoch ms, earliest first) that a wall-clock time
 * (`YYYY-MM-DDTHH:mm:ss`, or with a space) can be in an IANA time zone, or
 * `undefined` when it is no calendar time. Clarity exports local device time
 * without an offset. Usually one instant; two in the hour repeated when
 * clocks go back; in the hour skipped when they go forward, the one the
 * offset in force just after gives. Offsets are cached per local hour, so a
 * year of 5-minute readings costs ~9k lookups; it runs once per row of an
 * import, hence digits read in place rather than through regex groups.
 * Throws a `RangeError` for an unknown time zone.
 */
export function localTimeCandidates(timeZone: string): (local: string) => readonly number[] | undefined {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (ms: number): number => {
    const parts = new Map(format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]));
    const at = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? Number.NaN;
    const asUtc = Date.UTC(at('year'), at('month') - 1, at('day'), at('hour'), at('minute'), at('second'));
    return asUtc - Math.floor(ms / 1_000) * 1_000;
  };
  /**
   * The offsets under which `wall` (read as UTC) is a real local time, the
   * earlier instant first: two in the repeated hour; in the hour skipped
   * when clocks go forward, the one in force just after.
   */
  const offsetsOf = (wall: number): number[] => {
    const around = [...new Set([offsetAt(wall - 12 * HOUR_MS), offsetAt(wall + 12 * HOUR_MS)])];
    const valid = around.filter((offset) => offsetAt(wall - offset) === offset).sort((a, b) => b - a);
    return valid.length > 0 ? valid : [offsetAt(wall - offsetAt(wall))];
  };
  /** Offsets by local hour (the wall time read as UTC, in whole hours). */
  const cache = new Map<number, number[]>();
  return (local) => {
    const text = local.trim();
    if (!SHAPE.test(text)) return undefined;
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    const hour = digitsAt(text, 11, 2);
    const minute = digitsAt(text, 14, 2);
    const second = digitsAt(text, 17, 2);
    const wall = Date.UTC(digitsAt(text, 0, 4), month - 1, day, hour, minute, second);
    const check = new Date(wall);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
    const hourKey = Math.floor(wall / HOUR_MS);
    let offsets = cache.get(hourKey);
    if (offsets === undefined) {
      offsets = offsetsOf(wall);
      cache.set(hourKey, offsets);
    }
    return offsets.length === 1 ? [wall - (offsets[0] as number)] : offsets.map((offset) => wall - offset);
  };
}

/**
 * The instant of an ambiguous wall time by row order, for exports without
 * Transmitter Time: rows are meant to be in time order, so an ambiguous time
 * is its first instant unless that is not after the last instant given,
 * and the second pass through the repeated hour gets the second instants
 * instead of overwriting the first pass's readings. Clarity sorts rows by
 * local time, which interleaves the two passes: then this is wrong, and
 * only Transmitter Time can tell (see `ClarityTimeline`).
 */
export function rowOrderInstant(candidates: readonly number[], last: number): number {
  const first = candidates[0] as number;
  return candidates.length > 1 && first <= last ? (candidates[1] as number) : first;
}

/** `localTimeCandidates` resolved by row order (`rowOrderInstant`), as ISO instants. */
export function localTimeConverter(timeZone: string): (local: string) => string | undefined {
  const candidatesOf = localTimeCandidates(timeZone);
  let last = Number.NEGATIVE_INFINITY;
  return (local) => {
    const candidates = candidatesOf(local);
    if (candidates === undefined) return undefined;
    last = rowOrderInstant(candidates, last);
    return new Date(last).toISOString();
  };
}

/** Whether `zone` is a time zone this runtime knows (IANA names such as `Europe/Berlin`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
