import { ModelError } from '../common/model-error.ts';
import type { HealthEntry } from '../health-entry/health-entry.schema.ts';
import type { DailySummary } from './daily-summary.schema.ts';

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function present(values: readonly (number | undefined)[]): number[] {
  return values.filter((value): value is number => value !== undefined);
}

/**
 * The summary of one day from that day's entries (derived attributes
 * filled, as stored). Pure: `now` becomes `updated_at`. Means are exact (not
 * rounded) and taken over the entries that have the value; a value no entry
 * has is `null`. An entry from another day is a programmer error and throws.
 */
export function buildDailySummary(date: string, entries: readonly HealthEntry[], now: Date): DailySummary {
  const foreign = entries.find((entry) => entry.date !== date);
  if (foreign !== undefined) {
    throw new ModelError(
      'models.invalidHealthEntry',
      `summary of ${date} was given the entry ${foreign.date}/${foreign.timestamp}`,
      { date, entry: { date: foreign.date, timestamp: foreign.timestamp } },
    );
  }

  // Maps, not `{}`: a name such as `constructor` or `toString` must not find Object.prototype's member.
  const medication_doses = new Map<string, number>();
  const activity_minutes = new Map<string, number>();
  for (const entry of entries) {
    for (const name of Object.keys(entry.medications)) medication_doses.set(name, (medication_doses.get(name) ?? 0) + 1);
    for (const [name, minutes] of Object.entries(entry.activities)) {
      activity_minutes.set(name, (activity_minutes.get(name) ?? 0) + minutes);
    }
  }

  const pain = present(entries.map((entry) => entry.max_pain_level));
  const o2 = present(entries.map((entry) => entry.o2_percent));
  const sleep = present(entries.map((entry) => entry.sleep_minutes));
  const pressures = entries.filter(
    (entry): entry is HealthEntry & { systolic: number; diastolic: number } =>
      entry.systolic !== undefined && entry.diastolic !== undefined,
  );

  return {
    date,
    entry_count: entries.length,
    max_pain_level: pain.length === 0 ? null : Math.max(...pain),
    mean_max_pain: mean(pain),
    // fromEntries defines own properties, so every name (even `__proto__`) stays a key.
    medication_doses: Object.fromEntries(medication_doses),
    activity_minutes: Object.fromEntries(activity_minutes),
    min_o2_percent: o2.length === 0 ? null : Math.min(...o2),
    mean_systolic: mean(pressures.map((entry) => entry.systolic)),
    mean_diastolic: mean(pressures.map((entry) => entry.diastolic)),
    sleep_minutes: sleep.length === 0 ? null : sleep.reduce((sum, minutes) => sum + minutes, 0),
    updated_at: now.toISOString(),
  };
}
