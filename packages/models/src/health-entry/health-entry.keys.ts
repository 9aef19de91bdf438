import { HealthTimeSchema } from '../common/formats.schema.ts';
import type { KeyConditionInput } from '../tables/index-keys.ts';
import { checkKeyValue } from '../tables/index-keys.ts';
import { MEDICATION_INDEX_PREFIX } from './health-entry-sort-key.schema.ts';
import { healthEntryEntity } from './health-entry.entity.ts';
import { MedicationNameSchema } from './medication-name.schema.ts';

/** Sort-key bounds that select entries and never index items. */
export const HEALTH_ENTRY_TIME_RANGE = ['0000', '2359'] as const;

const context = healthEntryEntity.table.name;
const { primary } = healthEntryEntity;

/** The primary key of an entry: `{ date, timestamp }` with timestamp HHMM (never an index item's key). */
export function healthEntryKey(date: string, time: string): { date: string; timestamp: string } {
  checkKeyValue({ name: 'timestamp', schema: HealthTimeSchema }, time, context);
  return healthEntryEntity.key({ date, timestamp: time });
}

/** The sort key of a medication index item: `med#<medication>#<HHMM>`. */
export function medicationIndexTimestamp(medication: string, time: string): string {
  checkKeyValue({ name: 'medication_taken', schema: MedicationNameSchema }, medication, context);
  checkKeyValue({ name: 'timestamp', schema: HealthTimeSchema }, time, context);
  return `${MEDICATION_INDEX_PREFIX}${medication}#${time}`;
}

/** The primary key of a medication index item: `{ date, timestamp: 'med#<medication>#<HHMM>' }`. */
export function medicationIndexItemKey(date: string, medication: string, time: string): { date: string; timestamp: string } {
  return { ...primary.partition(date), timestamp: medicationIndexTimestamp(medication, time) };
}

/**
 * Query input for the entries of one day, optionally between two HHMM times
 * (inclusive; reversed bounds throw). The sort range is always inside `0000..2359`, so index items
 * (`med#…`) are never returned.
 */
export function healthEntriesOnDate(date: string, range: { from?: string; to?: string } = {}): KeyConditionInput {
  const from = range.from ?? HEALTH_ENTRY_TIME_RANGE[0];
  const to = range.to ?? HEALTH_ENTRY_TIME_RANGE[1];
  for (const time of [from, to]) checkKeyValue({ name: 'timestamp', schema: HealthTimeSchema }, time, context);
  return primary.keyCondition(date, { between: [from, to] });
}
