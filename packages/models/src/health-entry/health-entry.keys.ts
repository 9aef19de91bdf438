import { z } from 'zod';
import { HealthDateSchema, HealthTimeSchema, isHealthTime } from '../common/formats.schema.ts';
import type { KeyConditionInput } from '../tables/index-keys.ts';
import { checkKeyValue, defineCompositeKeys } from '../tables/index-keys.ts';
import { healthEntriesTable } from '../tables/tables.ts';
import { MedicationNameSchema, isMedicationName } from './medication-name.schema.ts';

/** Sort-key prefix of medication index items; `m` sorts after every digit, so after every HHMM. */
export const MEDICATION_INDEX_PREFIX = 'med#';
/** Sort-key bounds that select entries and never index items. */
export const HEALTH_ENTRY_TIME_RANGE = ['0000', '2359'] as const;

const MEDICATION_INDEX_TIMESTAMP = /^med#([^#]+)#(\d{4})$/;

/** True for a `med#<medication>#<HHMM>` sort key. */
export function isMedicationIndexTimestamp(timestamp: string): boolean {
  const match = MEDICATION_INDEX_TIMESTAMP.exec(timestamp);
  return match !== null && isMedicationName(match[1] ?? '') && isHealthTime(match[2] ?? '');
}

/** A `timestamp` of the health-entries table: an entry's HHMM or an index item's `med#<medication>#<HHMM>`. */
export const HealthEntrySortKeySchema = z.string().refine((value) => isHealthTime(value) || isMedicationIndexTimestamp(value), {
  message: 'must be HHMM or med#<medication>#<HHMM>',
});

const context = healthEntriesTable.name;

/** `fusion-health-entries` table key: partition `date`, sort `timestamp` (entries and index items). */
export const healthEntryPrimaryIndex = defineCompositeKeys({
  context,
  partition: { name: 'date', schema: HealthDateSchema },
  sort: { name: 'timestamp', schema: HealthEntrySortKeySchema },
});

/** `medication-index`: every entry that lists a medication, through the entry or its index item. */
export const healthEntryMedicationIndex = defineCompositeKeys({
  context,
  indexName: healthEntriesTable.globalSecondaryIndexes[0].name,
  partition: { name: 'medication_taken', schema: MedicationNameSchema },
  sort: { name: 'date', schema: HealthDateSchema },
});

/** `pain-level-index`: entries by their highest pain level (0..10); index items never appear. */
export const healthEntryPainLevelIndex = defineCompositeKeys({
  context,
  indexName: healthEntriesTable.globalSecondaryIndexes[1].name,
  partition: { name: 'max_pain_level', schema: z.number().int().min(0).max(10) },
  sort: { name: 'date', schema: HealthDateSchema },
});

/** The primary key of an entry: `{ date, timestamp }` with timestamp HHMM. */
export function healthEntryKey(date: string, time: string): { date: string; timestamp: string } {
  checkKeyValue({ name: 'timestamp', schema: HealthTimeSchema }, time, context);
  return { ...healthEntryPrimaryIndex.partition(date), ...healthEntryPrimaryIndex.sort(time) };
}

/** The sort key of a medication index item: `med#<medication>#<HHMM>`. */
export function medicationIndexTimestamp(medication: string, time: string): string {
  checkKeyValue({ name: 'medication_taken', schema: MedicationNameSchema }, medication, context);
  checkKeyValue({ name: 'timestamp', schema: HealthTimeSchema }, time, context);
  return `${MEDICATION_INDEX_PREFIX}${medication}#${time}`;
}

/** The primary key of a medication index item: `{ date, timestamp: 'med#<medication>#<HHMM>' }`. */
export function medicationIndexItemKey(date: string, medication: string, time: string): { date: string; timestamp: string } {
  return { ...healthEntryPrimaryIndex.partition(date), timestamp: medicationIndexTimestamp(medication, time) };
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
  return healthEntryPrimaryIndex.keyCondition(date, { between: [from, to] });
}
