import { defineEntity } from '../entity/define-entity.ts';
import { HealthEntrySortKeySchema } from './health-entry-sort-key.schema.ts';
import { HealthEntryTableItemSchema } from './health-entry.schema.ts';

/**
 * The health log, in the `fusion-health-entries` table: entries (sort key
 * `timestamp` = HHMM) and their medication index items (`med#<medication>#<HHMM>`),
 * so the table key's sort values are checked with `HealthEntrySortKeySchema`.
 * `medication-index` finds every entry listing a medication (through the
 * entry or its index item); `pain-level-index` entries by their highest pain
 * level, which index items never carry.
 */
export const healthEntryEntity = defineEntity({
  name: 'HealthEntry',
  table: 'fusion-health-entries',
  schema: HealthEntryTableItemSchema,
  key: { partition: 'date', sort: 'timestamp' },
  indexes: {
    'medication-index': { partition: 'medication_taken', sort: 'date' },
    'pain-level-index': { partition: 'max_pain_level', sort: 'date' },
  },
  keySchemas: { timestamp: HealthEntrySortKeySchema },
});
