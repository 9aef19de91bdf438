import { IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { defineCompositeKeys } from '../tables/index-keys.ts';
import { glucoseReadingsTable } from '../tables/tables.ts';

/** `bg_readings` table key: partition `user_id`, sort `timestamp`. */
export const glucoseReadingPrimaryIndex = defineCompositeKeys({
  context: glucoseReadingsTable.name,
  partition: { name: 'user_id', schema: UserIdSchema },
  sort: { name: 'timestamp', schema: IsoInstantSchema },
});

/** `user_id-created_at-index`: a user's readings in the order they were stored. */
export const glucoseReadingCreatedAtIndex = defineCompositeKeys({
  context: glucoseReadingsTable.name,
  indexName: glucoseReadingsTable.globalSecondaryIndexes[0].name,
  partition: { name: 'user_id', schema: UserIdSchema },
  sort: { name: 'created_at', schema: IsoInstantSchema },
});

/** The primary key of one reading: `{ user_id, timestamp }`. */
export function glucoseReadingKey(user_id: string, timestamp: string): { user_id: string; timestamp: string } {
  return { ...glucoseReadingPrimaryIndex.partition(user_id), ...glucoseReadingPrimaryIndex.sort(timestamp) };
}
