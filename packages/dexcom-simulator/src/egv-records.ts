import { recordTimes, type DisplayDevice } from './dexcom-time.ts';
import { glucoseAt, glucoseRate } from './glucose-curve.ts';
import { between, integerBetween, unit, uuidFrom } from './seeded-random.ts';
import { readingSlots, transmitterTicks, type ReadingSlot, type TransmitterGeneration } from './sensor-sessions.ts';
import type { SimulatedUser } from './simulated-users.ts';
import { trendOf, type Trend } from './trend.ts';

/** One record of `GET /v3/users/self/egvs`, with the fields in the order Dexcom documents them. */
export interface EgvRecord {
  recordId: string;
  systemTime: string;
  displayTime: string;
  transmitterId: string | null;
  transmitterTicks: number;
  value: number | null;
  status: EgvStatus | null;
  trend: Trend | null;
  trendRate: number | null;
  unit: 'mg/dL';
  rateUnit: 'mg/dL/min';
  displayDevice: DisplayDevice;
  transmitterGeneration: TransmitterGeneration;
}

/** Dexcom API v3's `status` values. */
export type EgvStatus = 'unknown' | 'high' | 'low' | 'ok';

/**
 * How a reading below 40 or above 400 mg/dL carries its value. Dexcom's egvs
 * documentation gives `value` as nullable and `status` as `low`/`high`, but
 * not which number, if any, comes with them: `null` sends no value, `pinned`
 * sends 39 / 401 (the stand-ins Vitals stores), `mixed` does either, per
 * reading, so that a client must look at `status`.
 */
export type OutOfRangeValue = 'null' | 'pinned' | 'mixed';

export const SENSOR_LOW = 40;
export const SENSOR_HIGH = 400;

/** What decides the records a request sees. */
export interface RecordView {
  user: SimulatedUser;
  outOfRangeValue: OutOfRangeValue;
  /** Readings newer than this (epoch ms) have not arrived yet: the simulator's now minus the data delay. */
  availableUntil: number;
  /** Readings this close to `availableUntil` may still show their preliminary value. */
  revisionWindowMs: number;
}

/** The user's records with systemTime in [start, end] (epoch ms, inclusive) that have arrived, newest first as Dexcom lists them. */
export function egvRecords(view: RecordView, start: number, end: number): EgvRecord[] {
  const slots = readingSlots(sensorProfile(view.user), start, Math.min(end, view.availableUntil));
  const records = slots.map((slot) => egvRecord(view, slot));
  return records.reverse();
}

/** The first and last reading that have arrived (taken after `after`, epoch ms, when given), for `dataRange`. */
export function egvRange(view: RecordView, after?: number): { first: EgvRecord; last: EgvRecord } | undefined {
  const profile = sensorProfile(view.user);
  const until = view.availableUntil;
  const from = after === undefined ? profile.dataStart : Math.max(profile.dataStart, Math.floor(after / 1000) * 1000 + 1000);
  if (until < from) return undefined;
  // A sensor change, a failed sensor or a long signal loss can leave a day or two empty: widen until found.
  const first = findSlot(profile, (span) => readingSlots(profile, from, Math.min(until, from + span))[0]);
  const last = findSlot(profile, (span) => readingSlots(profile, Math.max(from, until - span), until).at(-1));
  return first && last ? { first: egvRecord(view, first), last: egvRecord(view, last) } : undefined;
}

function findSlot(profile: ReturnType<typeof sensorProfile>, probe: (spanMs: number) => ReadingSlot | undefined): ReadingSlot | undefined {
  for (const days of [1, 4, 16, 64, 4096]) {
    const slot = probe(days * 24 * 60 * 60_000);
    if (slot) return slot;
  }
  return undefined;
}

export function sensorProfile(user: SimulatedUser) {
  return { seed: user.seed, generation: user.transmitterGeneration, dataStart: user.dataStart.getTime() };
}

function egvRecord(view: RecordView, slot: ReadingSlot): EgvRecord {
  const { user } = view;
  const persona = { seed: user.seed, timeZone: user.timeZone };
  const key = `${slot.session.index}:${slot.n}`;
  const glucose = glucoseAt(persona, slot.time);
  let reading = Math.round(glucose + between(-2.5, 2.5, user.seed, key, 'noise'));
  if (slot.time > view.availableUntil - view.revisionWindowMs && unit(user.seed, key, 'revised') < 0.35) {
    // Preliminary: Dexcom's recent values may still change; this one will, once, when it leaves the window.
    reading += (unit(user.seed, key, 'revision-sign') < 0.5 ? -1 : 1) * integerBetween(2, 9, user.seed, key, 'revision-size');
  }
  const { value, status } = valueAndStatus(reading, view.outOfRangeValue, user.seed, key);
  const { trend, trendRate } = trendOf(slot, glucoseRate(persona, slot.time, glucose), user.seed);
  const { systemTime, displayTime } = recordTimes(slot.time, user.timeZone, user.displayDevice);
  return {
    recordId: uuidFrom('egv', user.userId, slot.session.index, slot.n),
    systemTime,
    displayTime,
    transmitterId: slot.session.transmitterId,
    transmitterTicks: transmitterTicks(slot),
    value,
    status,
    trend,
    trendRate,
    unit: 'mg/dL',
    rateUnit: 'mg/dL/min',
    displayDevice: user.displayDevice,
    transmitterGeneration: user.transmitterGeneration,
  };
}

function valueAndStatus(
  reading: number,
  convention: OutOfRangeValue,
  seed: string,
  key: string,
): { value: number | null; status: EgvStatus | null } {
  const outOfRange = reading < SENSOR_LOW ? 'low' : reading > SENSOR_HIGH ? 'high' : undefined;
  if (outOfRange) {
    const pinned = convention === 'pinned' || (convention === 'mixed' && unit(seed, key, 'pinned') < 0.5);
    return { value: pinned ? (outOfRange === 'low' ? SENSOR_LOW - 1 : SENSOR_HIGH + 1) : null, status: outOfRange };
  }
  const draw = unit(seed, key, 'status');
  return { value: reading, status: draw < 0.004 ? null : draw < 0.006 ? 'unknown' : 'ok' };
}
