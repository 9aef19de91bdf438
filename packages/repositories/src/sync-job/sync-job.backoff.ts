/** Wait before retrying a job that failed its first attempt: one minute. */
export const SYNC_JOB_RETRY_BASE_MS = 60_000;

/** Longest wait between two attempts of a job: one hour. */
export const SYNC_JOB_RETRY_MAX_MS = 3_600_000;

/**
 * How long a job that failed its `attempts`-th attempt waits before it is
 * due again: 1 min × 2^(attempts − 1), at most 1 h (1, 2, 4, 8, … 60 min).
 * No jitter, so a schedule can be read off the job; jobs failing together
 * are already spread by when their attempts started.
 */
export function syncJobRetryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`syncJobRetryDelayMs: attempts must be an integer >= 1, got ${attempts}`);
  }
  return Math.min(SYNC_JOB_RETRY_MAX_MS, SYNC_JOB_RETRY_BASE_MS * 2 ** (attempts - 1));
}
