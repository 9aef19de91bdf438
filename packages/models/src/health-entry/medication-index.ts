import { ModelError } from '../common/model-error.ts';
import { omit } from '../common/omit.ts';
import type { HealthEntry, HealthEntryTableItem, MedicationIndexItem } from './health-entry.schema.ts';
import { healthEntryKey, medicationIndexItemKey, medicationIndexTimestamp } from './health-entry.keys.ts';
import { MEDICATION_NAME_MAX_LENGTH, isMedicationName, medicationMatchName } from './medication-name.schema.ts';

/** The items one entry is written as: the entry itself plus one index item per additional medication. */
export interface HealthEntryItems {
  readonly entry: HealthEntry;
  readonly medication_index_items: readonly MedicationIndexItem[];
}

/** Primary key of any item of the health-log table (an entry or an index item). */
export interface HealthEntryItemKey {
  readonly date: string;
  readonly timestamp: string;
}

/** True for a medication index item, false for an entry. */
export function isMedicationIndexItem(item: HealthEntryTableItem): item is MedicationIndexItem {
  return 'entry_timestamp' in item && typeof item.entry_timestamp === 'string';
}

/** The entry's primary medication: its recorded `medication_taken`, else the first listed. */
function primaryMedication(entry: HealthEntry): string | undefined {
  const names = Object.keys(entry.medications);
  if (entry.medication_taken !== undefined) {
    if (!names.includes(entry.medication_taken)) {
      throw new ModelError(
        'models.invalidHealthEntry',
        `${entry.date}/${entry.timestamp}: medication_taken "${entry.medication_taken}" is not one of its medications`,
        { date: entry.date, timestamp: entry.timestamp },
      );
    }
    return entry.medication_taken;
  }
  return names[0];
}

/**
 * The items to write for an entry. The entry item keeps its key and gets
 * `medication_taken` = primary medication; every other medication gets an
 * index item keyed `med#<medication>#<HHMM>` that copies the entry, puts that
 * medication in `medication_taken`, records the entry's own values in
 * `entry_timestamp` / `entry_medication_taken` / `entry_max_pain_level`, and
 * has no `max_pain_level` (so pain-level-index lists each entry once). A
 * name written with capitals also gets an index item under its lower-case
 * form (`medicationMatchName`) unless that form is listed itself, so a
 * query by the lower-case form finds each entry exactly once.
 */
export function healthEntryItems(entry: HealthEntry): HealthEntryItems {
  for (const name of Object.keys(entry.medications)) {
    if (!isMedicationName(name)) {
      throw new ModelError(
        'models.invalidHealthEntry',
        `${entry.date}/${entry.timestamp}: medication name ${JSON.stringify(name)} must be 1..${MEDICATION_NAME_MAX_LENGTH} characters without "#"`,
        { date: entry.date, timestamp: entry.timestamp, medication: name },
      );
    }
  }
  const key = healthEntryKey(entry.date, entry.timestamp);
  const primary = primaryMedication(entry);
  const { max_pain_level } = entry;
  const shared = omit(entry, 'medication_taken', 'max_pain_level');
  const entryItem: HealthEntry = { ...shared, ...key, ...(primary === undefined ? {} : { medication_taken: primary }) };
  if (max_pain_level !== undefined) entryItem.max_pain_level = max_pain_level;
  if (primary === undefined) return { entry: entryItem, medication_index_items: [] };

  const names = Object.keys(entry.medications);
  // Case-insensitive matching: each name whose lower-case form is not itself listed is also indexed under that form.
  const matchNames = names.map(medicationMatchName).filter((match) => isMedicationName(match) && !names.includes(match));
  const medication_index_items = [...names.filter((name) => name !== primary), ...new Set(matchNames)].map(
    (name): MedicationIndexItem => ({
      ...shared,
      timestamp: medicationIndexTimestamp(name, entry.timestamp),
      medication_taken: name,
      entry_timestamp: entry.timestamp,
      entry_medication_taken: primary,
      ...(max_pain_level === undefined ? {} : { entry_max_pain_level: max_pain_level }),
    }),
  );
  return { entry: entryItem, medication_index_items };
}

/** The entry an item stands for: an entry as is, an index item turned back into its entry. */
export function healthEntryFromItem(item: HealthEntryTableItem): HealthEntry {
  if (!isMedicationIndexItem(item)) return item;
  const { entry_timestamp, entry_medication_taken, entry_max_pain_level } = item;
  const shared = omit(
    item,
    'timestamp',
    'medication_taken',
    'entry_timestamp',
    'entry_medication_taken',
    'entry_max_pain_level',
  );
  return {
    ...shared,
    timestamp: entry_timestamp,
    medication_taken: entry_medication_taken,
    ...(entry_max_pain_level === undefined ? {} : { max_pain_level: entry_max_pain_level }),
  };
}

/** Keys of every item an entry is stored as (entry first). */
export function healthEntryItemKeys(entry: HealthEntry): HealthEntryItemKey[] {
  const { entry: item, medication_index_items } = healthEntryItems(entry);
  return [
    healthEntryKey(item.date, item.timestamp),
    ...medication_index_items.map((index) => medicationIndexItemKey(index.date, index.medication_taken, entry.timestamp)),
  ];
}

/**
 * The writes that replace `previous` (or nothing) with `next` at the same
 * key: put every item of `next`, delete the index items of medications
 * `next` no longer lists beyond its primary. Apply both in one transaction
 * so readers never see a half-updated entry.
 */
export function diffHealthEntryItems(
  previous: HealthEntry | undefined,
  next: HealthEntry,
): { put: HealthEntryTableItem[]; delete: HealthEntryItemKey[] } {
  if (previous !== undefined && (previous.date !== next.date || previous.timestamp !== next.timestamp)) {
    throw new ModelError(
      'models.invalidHealthEntry',
      `cannot diff ${previous.date}/${previous.timestamp} against ${next.date}/${next.timestamp}: keys differ`,
      { previous: healthEntryKey(previous.date, previous.timestamp), next: healthEntryKey(next.date, next.timestamp) },
    );
  }
  const { entry, medication_index_items } = healthEntryItems(next);
  const kept = new Set(medication_index_items.map((item) => item.timestamp));
  const stale = previous === undefined ? [] : healthEntryItemKeys(previous).slice(1).filter((key) => !kept.has(key.timestamp));
  return { put: [entry, ...medication_index_items], delete: stale };
}
