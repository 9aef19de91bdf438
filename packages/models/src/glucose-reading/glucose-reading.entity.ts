import { defineEntity } from '../entity/define-entity.ts';
import { GlucoseReadingSchema } from './glucose-reading.schema.ts';

/**
 * Glucose readings: one per user and instant, in the `bg_readings` table.
 * `user_id-created_at-index` lists a user's readings in the order they were
 * stored (incremental syncs), `user_id-srv_modified-index` in the order
 * they last changed (the change feed, merged with the tombstones' index);
 * `expires_at` is the TTL.
 */
export const glucoseReadingEntity = defineEntity({
  name: 'GlucoseReading',
  table: 'bg_readings',
  schema: GlucoseReadingSchema,
  key: { partition: 'user_id', sort: 'timestamp' },
  indexes: {
    'user_id-created_at-index': { partition: 'user_id', sort: 'created_at' },
    'user_id-srv_modified-index': { partition: 'user_id', sort: 'srv_modified' },
  },
  ttlAttribute: 'expires_at',
});
