import { DAY_MS, type LocalClock } from '../glucose-reading/local-clock.ts';

/** No zone is more than 14 hours from UTC: a local day starts within this of its UTC namesake's midnight. */
const MAX_OFFSET_MS = 16 * 3_600_000;

/** `YYYY-MM-DD` of a local day number (days since the local 1970-01-01). */
export function localDayName(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local day number of a `YYYY-MM-DD` name. */
export function localDayNumber(name: string): number {
  return Math.floor(Date.parse(`${name}T00:00:00.000Z`) / DAY_MS);
}

/**
 * The first instant (epoch ms) of local day `day` on `clock`: the least
 * instant whose local day is `day` or later, found by bisection around the
 * UTC midnight of the same name. (A zone that turns its clocks back across
 * midnight repeats part of a day; the day starts at its first instant.)
 */
export function localDayStart(clock: LocalClock, day: number): number {
  let low = day * DAY_MS - MAX_OFFSET_MS; // before the day
  let high = day * DAY_MS + MAX_OFFSET_MS; // in the day or after
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (clock.dayOf(middle) >= day) high = middle;
    else low = middle;
  }
  return high;
}

/** The local days [first, last] that [fromMs, toMs) touches, with each day's bounds [start, end). */
export function localDaysOf(clock: LocalClock, fromMs: number, toMs: number): { day: number; startMs: number; endMs: number }[] {
  const days: { day: number; startMs: number; endMs: number }[] = [];
  const last = clock.dayOf(toMs - 1);
  let day = clock.dayOf(fromMs);
  let startMs = localDayStart(clock, day);
  while (day <= last) {
    const endMs = localDayStart(clock, day + 1);
    days.push({ day, startMs, endMs });
    day += 1;
    startMs = endMs;
  }
  return days;
}
