import { z } from 'zod';
import { EpochSecondsSchema, IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { defineEntity } from '../entity/define-entity.ts';
import { GlucoseReadingSchema, SrvModifiedSchema } from './glucose-reading.schema.ts';

/**
 * What is left of a deleted reading for the change feed: its key, when it
 * was deleted (`srv_modified`, the feed's order; `deleted_at`, the same
 * instant for people) and when the tombstone expires (TTL, after the
 * tombstone retention).
 */
export const ReadingTombstoneSchema = z.strictObject({
  user_id: UserIdSchema,
  timestamp: IsoInstantSchema,
  srv_modified: SrvModifiedSchema,
  deleted_at: IsoInstantSchema,
  expires_at: EpochSecondsSchema,
});
export type ReadingTombstone = z.infer<typeof ReadingTombstoneSchema>;

/**
 * Reading tombstones: one per deleted reading's key (a second delete
 * replaces it), in a table of their own so that the readings table holds
 * only readings and no range read has to filter deletions out. The change
 * feed merges `user_id-srv_modified-index` here with the readings' own.
 */
export const readingTombstoneEntity = defineEntity({
  name: 'ReadingTombstone',
  table: 'bg_reading_tombstones',
  schema: ReadingTombstoneSchema,
  key: { partition: 'user_id', sort: 'timestamp' },
  indexes: {
    'user_id-srv_modified-index': { partition: 'user_id', sort: 'srv_modified' },
  },
  ttlAttribute: 'expires_at',
});

/**
 * One entry of the readings' change feed, in modification order: a reading
 * as it now stands (new or changed), or the key of a deleted one.
 */
export const ReadingChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('upsert'), srv_modified: SrvModifiedSchema, reading: GlucoseReadingSchema }),
  z.strictObject({ kind: z.literal('delete'), srv_modified: SrvModifiedSchema, user_id: UserIdSchema, timestamp: IsoInstantSchema }),
]);
export type ReadingChange = z.infer<typeof ReadingChangeSchema>;
