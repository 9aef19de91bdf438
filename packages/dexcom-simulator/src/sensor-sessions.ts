import { between, hexDigest, integerBetween, unit } from './seeded-random.ts';

/**
 * When a simulated user's sensor produces readings, and with which transmitter.
 *
 * Sessions sit on a fixed grid per user (period = the sensor's life plus an
 * hour), so the session holding any instant is found by division rather than
 * by replaying history. In each session the user changes the sensor some
 * minutes into the slot, the sensor warms up (no readings), then reads every
 * 5 minutes at a phase of its own (real readings do not fall on :00/:05), with
 * occasional signal losses of 15 minutes to a few hours; now and then a sensor
 * fails a day or two early and the user waits for the next one.
 */

export type TransmitterGeneration = 'g6' | 'g7';

export const READING_INTERVAL_MS = 5 * 60_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface GenerationTraits {
  /** Sensor life: G7 10 days plus a 12-hour grace period, G6 10 days. */
  sessionMs: number;
  warmUpMs: number;
  /** Sensor sessions one transmitter serves: G7's is built into the sensor, a G6 transmitter lasts 90 days. */
  sessionsPerTransmitter: number;
}

const TRAITS: Record<TransmitterGeneration, GenerationTraits> = {
  g7: { sessionMs: 10 * DAY + 12 * HOUR, warmUpMs: 30 * MINUTE, sessionsPerTransmitter: 1 },
  g6: { sessionMs: 10 * DAY, warmUpMs: 2 * HOUR, sessionsPerTransmitter: 9 },
};

/** Everything about a user that decides when readings exist. */
export interface SensorProfile {
  seed: string;
  generation: TransmitterGeneration;
  /** No reading before this instant (epoch ms): where the user's Dexcom history begins. */
  dataStart: number;
}

export interface SensorSession {
  index: number;
  /** When the sensor went in (epoch ms). */
  sensorStart: number;
  /** The first reading, after warm-up. */
  firstReading: number;
  /** No reading at or after this instant. */
  end: number;
  transmitterId: string;
  /** When the transmitter serving this session started counting ticks (seconds). */
  transmitterStart: number;
  /** Signal losses: reading numbers [from, to) that never arrive. */
  gaps: [number, number][];
}

/** One reading that exists: the `n`-th of its session. */
export interface ReadingSlot {
  session: SensorSession;
  n: number;
  /** systemTime, epoch ms (whole seconds). */
  time: number;
  /** Readings since the sensor started or the signal came back (0 for the first one). */
  sinceGap: number;
}

const EPOCH = Date.UTC(2020, 0, 1);
const sessionCache = new Map<string, SensorSession>();

function periodOf(generation: TransmitterGeneration): number {
  return TRAITS[generation].sessionMs + HOUR;
}

/** The user's grid origin: staggered per user so that users do not change sensors in step. */
function epochOf(profile: SensorProfile): number {
  return EPOCH - Math.floor((unit(profile.seed, 'session-phase') * periodOf(profile.generation)) / 1000) * 1000;
}

export function sessionAt(profile: SensorProfile, index: number): SensorSession {
  const key = `${profile.seed}|${profile.generation}|${index}`;
  const cached = sessionCache.get(key);
  if (cached) return cached;
  const traits = TRAITS[profile.generation];
  const slotStart = epochOf(profile) + index * periodOf(profile.generation);
  const sensorStart = slotStart + Math.floor(between(0, 60, profile.seed, index, 'change') * MINUTE / 1000) * 1000;
  const firstReading = sensorStart + traits.warmUpMs + integerBetween(0, 299, profile.seed, index, 'phase') * 1000;
  const failsEarly = unit(profile.seed, index, 'fails-early') < 0.08;
  const life = traits.sessionMs - (failsEarly ? between(6, 48, profile.seed, index, 'failure') * HOUR : 0);
  const end = sensorStart + Math.floor(life / 1000) * 1000;
  const transmitterIndex = Math.floor(index / traits.sessionsPerTransmitter);
  const transmitterStart =
    transmitterIndex * traits.sessionsPerTransmitter === index
      ? sensorStart
      : sessionAt(profile, transmitterIndex * traits.sessionsPerTransmitter).sensorStart;
  const session: SensorSession = {
    index,
    sensorStart,
    firstReading,
    end,
    // A 64-character hex id, as Dexcom's v3 examples show transmitter ids.
    transmitterId: hexDigest(profile.seed, profile.generation, 'transmitter', transmitterIndex),
    transmitterStart,
    gaps: signalLosses(profile.seed, index, Math.ceil((end - firstReading) / READING_INTERVAL_MS)),
  };
  if (sessionCache.size > 50_000) sessionCache.clear();
  sessionCache.set(key, session);
  return session;
}

function signalLosses(seed: string, index: number, readings: number): [number, number][] {
  const count = integerBetween(0, 4, seed, index, 'losses');
  const gaps: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const long = unit(seed, index, i, 'loss-long') < 0.15;
    const length = long ? integerBetween(24, 72, seed, index, i, 'loss-length') : integerBetween(3, 24, seed, index, i, 'loss-length');
    const from = integerBetween(12, Math.max(12, readings - length - 1), seed, index, i, 'loss-start');
    gaps.push([from, from + length]);
  }
  return gaps.sort((a, b) => a[0] - b[0]);
}

/** Every reading that exists with systemTime in [from, to] (epoch ms, inclusive), oldest first. */
export function readingSlots(profile: SensorProfile, from: number, to: number): ReadingSlot[] {
  const start = Math.max(from, profile.dataStart);
  if (to < start) return [];
  const epoch = epochOf(profile);
  const period = periodOf(profile.generation);
  const slots: ReadingSlot[] = [];
  const first = Math.floor((start - epoch) / period);
  const last = Math.floor((to - epoch) / period);
  for (let index = first; index <= last; index++) {
    const session = sessionAt(profile, index);
    const fromN = Math.max(0, Math.ceil((start - session.firstReading) / READING_INTERVAL_MS));
    for (let n = fromN; ; n++) {
      const time = session.firstReading + n * READING_INTERVAL_MS;
      if (time > to || time >= session.end) break;
      const sinceGap = readingsSinceGap(session, n);
      if (sinceGap >= 0) slots.push({ session, n, time, sinceGap });
    }
  }
  return slots;
}

/** -1 when reading `n` is lost, else how many readings have arrived since the last loss (or the start). */
function readingsSinceGap(session: SensorSession, n: number): number {
  let since = n;
  for (const [from, to] of session.gaps) {
    if (n >= from && n < to) return -1;
    if (n >= to) since = Math.min(since, n - to);
  }
  return since;
}

/** Transmitter ticks (seconds since the transmitter started) of a reading. */
export function transmitterTicks(slot: ReadingSlot): number {
  return Math.floor((slot.time - slot.session.transmitterStart) / 1000);
}
