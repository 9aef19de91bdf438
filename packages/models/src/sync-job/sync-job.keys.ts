import { IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { defineCompositeKeys, definePartitionKeys } from '../tables/index-keys.ts';
import { syncJobsTable } from '../tables/tables.ts';
import { SyncJobIdSchema, SyncJobStatusSchema } from './sync-job.schema.ts';

/** `sync_jobs` table key: partition `job_id` only. */
export const syncJobPrimaryIndex = definePartitionKeys({
  context: syncJobsTable.name,
  partition: { name: 'job_id', schema: SyncJobIdSchema },
});

/** `status-scheduled_at-index`: jobs in a status by schedule, e.g. due `pending` jobs for workers. */
export const syncJobStatusScheduledAtIndex = defineCompositeKeys({
  context: syncJobsTable.name,
  indexName: syncJobsTable.globalSecondaryIndexes[0].name,
  partition: { name: 'status', schema: SyncJobStatusSchema },
  sort: { name: 'scheduled_at', schema: IsoInstantSchema },
});

/** `user_id-scheduled_at-index`: one user's jobs by schedule. */
export const syncJobUserScheduledAtIndex = defineCompositeKeys({
  context: syncJobsTable.name,
  indexName: syncJobsTable.globalSecondaryIndexes[1].name,
  partition: { name: 'user_id', schema: UserIdSchema },
  sort: { name: 'scheduled_at', schema: IsoInstantSchema },
});

/** The primary key of one job: `{ job_id }`. */
export function syncJobKey(job_id: string): { job_id: string } {
  return syncJobPrimaryIndex.partition(job_id);
}
