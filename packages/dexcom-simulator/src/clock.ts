/**
 * The simulator's notion of "now", in epoch milliseconds. Token expiry, the
 * delay before readings arrive, the revision window, the hourly rate limit
 * and timed faults all read it, so a test that owns the clock owns all of
 * them. Slow-response faults wait in real time.
 */
export interface Clock {
  now(): number;
}

/** Real time. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to: for tests. */
export interface ManualClock extends Clock {
  /** Sets the time (epoch milliseconds or a Date). */
  set(time: number | Date): void;
  /** Moves the time forward (or back, with a negative amount) by `ms`. */
  advance(ms: number): void;
}

export function manualClock(start: number | Date): ManualClock {
  let current = toMillis(start);
  return {
    now: () => current,
    set: (time) => {
      current = toMillis(time);
    },
    advance: (ms) => {
      if (!Number.isFinite(ms)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
      current += ms;
    },
  };
}

function toMillis(time: number | Date): number {
  const millis = time instanceof Date ? time.getTime() : time;
  if (!Number.isFinite(millis)) throw new RangeError(`not a time: ${String(time)}`);
  return millis;
}
