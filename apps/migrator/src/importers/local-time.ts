const HOUR_MS = 3_600_000;
const SHAPE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$/;

/** The number written by `length` ASCII digits at `start` (the shape is already checked). */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm:ss`) in an IANA time
 * zone. Clarity exports local device time without an offset. Offsets are
 * cached per local hour, so a year of 5-minute readings costs ~9k lookups;
 * it runs once per row of an import, hence digits read in place rather
 * than through regex groups and string keys.
 *
 * The hour repeated when clocks go back is ambiguous: each of its wall
 * times is two instants. The converter is meant for rows in time order (as
 * exports are) and remembers the last instant it returned: an ambiguous time
 * is its first instant unless that is not after the last one, so the second
 * pass through the hour gets the second instants instead of overwriting the
 * first pass's readings.
 */
export function localTimeConverter(timeZone: string): (local: string) => string | undefined {
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
  let last = Number.NEGATIVE_INFINITY;
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
    const first = wall - (offsets[0] as number);
    const instant = offsets.length > 1 && first <= last ? wall - (offsets[1] as number) : first;
    last = instant;
    return new Date(instant).toISOString();
  };
}
