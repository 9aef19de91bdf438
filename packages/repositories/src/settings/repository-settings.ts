import type { ServiceIdentifier } from 'inversify';

/** Settings every repository shares; apps build them from their environment. */
export interface RepositorySettings {
  /** Prefix of every table name, e.g. `dev-`. */
  table_prefix: string;
  /** Throw on an invalid stored item instead of skipping and reporting it. */
  strict: boolean;
  /**
   * Signs pagination cursors (HMAC-SHA256). Cursors verify only where this
   * secret is the same, so every instance serving one API needs one value.
   */
  cursor_secret: string;
  /** Days after which glucose readings expire (TTL `expires_at`); absent = kept forever. */
  glucose_retention_days?: number;
  /**
   * Days a deleted reading's tombstone is kept for the change feed before
   * its TTL (`READING_TOMBSTONE_RETENTION_DAYS`); absent =
   * {@link DEFAULT_READING_TOMBSTONE_RETENTION_DAYS}. A follower away longer
   * gets `repository.invalidCursor` (`expired`) and reads everything again.
   */
  reading_tombstone_retention_days?: number;
  /**
   * The change feed serves only changes at least this old (ms;
   * `READING_CHANGES_SETTLE_MS`); absent = {@link DEFAULT_READING_CHANGES_SETTLE_MS}.
   * A write stamped before a follower's read but committed after it is
   * still served, as long as it commits within this lag of its stamp.
   */
  reading_changes_settle_ms?: number;
  /** Days after which finished sync jobs expire; absent = kept forever. */
  sync_job_retention_days?: number;
  /** How connected providers are synced; each field absent = {@link DEFAULT_SYNC_SCHEDULE}'s. */
  sync_schedule?: Partial<SyncSchedule>;
}

/** How the runs of a connected provider are scheduled (see docs/DEXCOM-SYNC.md). */
export interface SyncSchedule {
  /** From a finished run to the next one. */
  interval_ms: number;
  /** The next window starts this long before the end of the last one synced: late and revised data are fetched again. */
  overlap_ms: number;
  /** The window of the first run after connecting, in days back from then. */
  backfill_days: number;
  /** Attempts each scheduled run gets before it fails and the next regular run takes its window over. */
  max_attempts: number;
}

/**
 * How long the apps keep finished sync jobs (`sync_job_retention_days`): a
 * connection's chain finishes a job every `interval_ms` (288 a day at 5 min),
 * so without a TTL the jobs table would only grow.
 */
export const DEFAULT_SYNC_JOB_RETENTION_DAYS = 14;

/** A follower (xDrip+, AndroidAPS) offline for up to a season still learns every deletion. */
export const DEFAULT_READING_TOMBSTONE_RETENTION_DAYS = 90;

/**
 * Ten seconds: a batch save (a BatchGet, then BatchWrites with retries) and
 * the index's propagation fit well inside it, and followers poll in minutes.
 */
export const DEFAULT_READING_CHANGES_SETTLE_MS = 10_000;

export const DEFAULT_SYNC_SCHEDULE: Readonly<SyncSchedule> = {
  interval_ms: 5 * 60_000,
  overlap_ms: 3 * 3_600_000,
  backfill_days: 90,
  max_attempts: 5,
};

/** Wall clock, injected so tests can control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const REPOSITORY_TOKENS = {
  Settings: Symbol.for('@vitals/repositories/RepositorySettings') as ServiceIdentifier<RepositorySettings>,
  Clock: Symbol.for('@vitals/repositories/Clock') as ServiceIdentifier<Clock>,
} as const;
