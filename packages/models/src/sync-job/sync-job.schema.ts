import { z } from 'zod';
import {
  EpochSecondsSchema,
  InstantInputSchema,
  IsoInstantSchema,
  ProviderSchema,
  UserIdSchema,
  VersionSchema,
} from '../common/formats.schema.ts';
import { PLAUSIBLE_SINCE, TOO_OLD_MESSAGE } from '../common/plausibility.ts';

/**
 * An instant of a job as a client sends it (RFC 3339, any offset, stored in
 * UTC), not before 1980. How far ahead it may be depends on the clock: the
 * repository applies `syncJobTimeProblems`.
 */
const JobInstantInputSchema = InstantInputSchema.refine((instant) => instant >= PLAUSIBLE_SINCE, { message: TOO_OLD_MESSAGE });

export const SYNC_JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const SyncJobStatusSchema = z.enum(SYNC_JOB_STATUSES);
export const SyncJobIdSchema = z.uuid();

/** Default retry budget of a job when the client names none. */
export const DEFAULT_SYNC_MAX_ATTEMPTS = 3;

function checkWindow<T extends { window_start: string; window_end: string }>(job: T, ctx: z.RefinementCtx<T>): void {
  // Instants are fixed width, so string order is time order.
  if (!(job.window_start < job.window_end)) {
    ctx.addIssue({ code: 'custom', path: ['window_end'], message: 'must be after window_start' });
  }
}

/**
 * What a client sends to schedule a sync (`user_id` comes from the path;
 * `job_id`, status and counters are the server's). `scheduled_at` left out
 * means "now" — the server fills it.
 */
export const SyncJobInputSchema = z
  .strictObject({
    provider: ProviderSchema,
    scheduled_at: JobInstantInputSchema.optional().describe(`RFC 3339, any offset; default now. Not before ${PLAUSIBLE_SINCE}, at most 366 days after the server's time`),
    window_start: JobInstantInputSchema.describe(`RFC 3339, any offset. Not before ${PLAUSIBLE_SINCE}, nor more than 24 h after the server's time`),
    window_end: JobInstantInputSchema.describe(`RFC 3339, any offset. Not before ${PLAUSIBLE_SINCE}, nor more than 24 h after the server's time`),
    max_attempts: z.number().int().min(1).max(100).default(DEFAULT_SYNC_MAX_ATTEMPTS),
  })
  .superRefine(checkWindow);

/** A sync job as stored in the jobs table. */
export const SyncJobSchema = z
  .strictObject({
    job_id: SyncJobIdSchema,
    user_id: UserIdSchema,
    provider: ProviderSchema,
    status: SyncJobStatusSchema,
    scheduled_at: IsoInstantSchema,
    window_start: IsoInstantSchema,
    window_end: IsoInstantSchema,
    attempts: z.number().int().min(0),
    max_attempts: z.number().int().min(1).max(100),
    last_error: z.string().max(4096).optional(),
    records_synced: z.number().int().min(0),
    lease_owner: z.string().min(1).optional(),
    lease_expires_at: IsoInstantSchema.optional(),
    started_at: IsoInstantSchema.optional(),
    completed_at: IsoInstantSchema.optional(),
    created_at: IsoInstantSchema,
    updated_at: IsoInstantSchema,
    version: VersionSchema,
    expires_at: EpochSecondsSchema.optional(),
  })
  .superRefine((job, ctx) => {
    checkWindow(job, ctx);
    if (job.attempts > job.max_attempts) {
      ctx.addIssue({ code: 'custom', path: ['attempts'], message: 'must not exceed max_attempts' });
    }
    if ((job.lease_owner === undefined) !== (job.lease_expires_at === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lease_expires_at'],
        message: 'lease_owner and lease_expires_at are set together or not at all',
      });
    }
  });

export type SyncJobStatus = z.infer<typeof SyncJobStatusSchema>;
export type SyncJobInput = z.infer<typeof SyncJobInputSchema>;
export type SyncJob = z.infer<typeof SyncJobSchema>;

/**
 * A new `pending` job for a validated input; `job_id` (a UUID, e.g. from
 * `crypto.randomUUID()`) and `now` are passed in so this stays pure.
 */
export function toSyncJob(job_id: string, user_id: string, input: SyncJobInput, now: Date, expires_at?: number): SyncJob {
  const at = now.toISOString();
  return {
    job_id,
    user_id,
    provider: input.provider,
    status: 'pending',
    scheduled_at: input.scheduled_at ?? at,
    window_start: input.window_start,
    window_end: input.window_end,
    attempts: 0,
    max_attempts: input.max_attempts,
    records_synced: 0,
    created_at: at,
    updated_at: at,
    version: 1,
    ...(expires_at === undefined ? {} : { expires_at }),
  };
}
