import { defineEntity } from '../entity/define-entity.ts';
import { SyncJobSchema } from './sync-job.schema.ts';

/**
 * Scheduled provider syncs, claimed by workers, in the `sync_jobs` table.
 * `status-scheduled_at-index` finds the jobs in a status by schedule (due
 * `pending` jobs, expired `running` leases); `user_id-scheduled_at-index`
 * one user's jobs by schedule. `expires_at` is the TTL.
 */
export const syncJobEntity = defineEntity({
  name: 'SyncJob',
  table: 'sync_jobs',
  schema: SyncJobSchema,
  key: { partition: 'job_id' },
  indexes: {
    'status-scheduled_at-index': { partition: 'status', sort: 'scheduled_at' },
    'user_id-scheduled_at-index': { partition: 'user_id', sort: 'scheduled_at' },
  },
  ttlAttribute: 'expires_at',
});
