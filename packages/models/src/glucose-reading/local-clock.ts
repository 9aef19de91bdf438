import { ModelError } from '../common/model-error.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Local wall-clock reading of instants in one IANA zone. */
export interface LocalClock {
  /** Local hour of day 0..23 of epoch ms. */
  hourOf(ms: number): number;
  /** Local calendar day of epoch ms, as days since 1970-01-01 (local). */
  dayOf(ms: number): number;
  /** The first instant after `ms` whose local hour differs from that of `ms`. */
  nextHourChange(ms: number): number;
}

const floorMod = (value: number, modulus: number) => ((value % modulus) + modulus) % modulus;

/** UTC: arithmetic only. */
const UTC_CLOCK: LocalClock = {
  hourOf: (ms) => Math.floor(floorMod(ms, DAY_MS) / HOUR_MS),
  dayOf: (ms) => Math.floor(ms / DAY_MS),
  nextHourChange: (ms) => Math.floor(ms / HOUR_MS) * HOUR_MS + HOUR_MS,
};

/**
 * The local clock of `timeZone`. Intl formatting is slow, so UTC offsets are
 * looked up per UTC day: a day whose offset is the same at both ends uses it
 * for every instant; a day holding a DST change is split into hours the same
 * way, and only the hour holding the change is resolved instant by instant.
 */
export function localClock(timeZone: string): LocalClock {
  if (timeZone === 'UTC') return UTC_CLOCK;
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
    return local - (ms - floorMod(ms, 1000));
  };
  /** The offset over [start, start + span), or null when it changes inside. */
  const steadyOffset = (start: number, span: number): number | null => {
    const first = offsetAt(start);
    return first === offsetAt(start + span - 1) ? first : null;
  };
  const days = new Map<number, number | null>();
  const hours = new Map<number, number | null>();
  const localMs = (ms: number): number => {
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
    return ms + (offset ?? offsetAt(ms));
  };
  /** A local hour's serial number: changes exactly when the local hour (or day) does. */
  const hourSerial = (ms: number) => Math.floor(localMs(ms) / HOUR_MS);
  return {
    hourOf: (ms) => Math.floor(floorMod(localMs(ms), DAY_MS) / HOUR_MS),
    dayOf: (ms) => Math.floor(localMs(ms) / DAY_MS),
    nextHourChange: (ms) => {
      const serial = hourSerial(ms);
      // The change is at most an hour away (every offset is whole minutes, changes move it by at most hours).
      const guess = (serial + 1) * HOUR_MS - (localMs(ms) - ms);
      if (guess > ms && hourSerial(guess) !== serial && hourSerial(guess - 1) === serial) return guess;
      // A DST change lies in between: search the first instant whose local hour differs.
      let low = ms; // same hour
      let high = ms + HOUR_MS;
      while (hourSerial(high) === serial) high += HOUR_MS;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (hourSerial(middle) === serial) low = middle;
        else high = middle;
      }
      return high;
    },
  };
}
