import type { EgvRecord, OutOfRangeValue, RecordView } from '../egv-records.ts';
import type { DisplayDevice } from '../dexcom-time.ts';
import type { TransmitterGeneration } from '../sensor-sessions.ts';
import { SimulatedUsers, type SimulatedUser } from '../simulated-users.ts';

export const DAY = 24 * 60 * 60_000;
export const HOUR = 60 * 60_000;
/** A fixed "now" for sensor tests: 2026-06-01T00:00:00Z. */
export const NOW = Date.UTC(2026, 5, 1);

export function userFor(
  login: string,
  options: { timeZone?: string; displayDevice?: DisplayDevice; transmitterGeneration?: TransmitterGeneration; historyDays?: number; clientId?: string } = {},
): SimulatedUser {
  const { clientId = 'client', ...rest } = options;
  return new SimulatedUsers(clientId, () => NOW).add({ login, ...rest });
}

export function viewOf(user: SimulatedUser, overrides: Partial<Omit<RecordView, 'user'>> = {}): RecordView {
  return { user, outOfRangeValue: 'mixed' satisfies OutOfRangeValue, availableUntil: NOW, revisionWindowMs: 0, ...overrides };
}

/** Epoch ms of a record's systemTime, whichever form it is written in. */
export function systemMillis(record: EgvRecord): number {
  const text = record.systemTime;
  return Date.parse(/[+-]\d\d:\d\d$|Z$/.test(text) ? text : `${text}Z`);
}
