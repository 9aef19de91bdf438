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
  /** Days after which finished sync jobs expire; absent = kept forever. */
  sync_job_retention_days?: number;
}

/** Wall clock, injected so tests can control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const REPOSITORY_TOKENS = {
  Settings: Symbol.for('@vitals/repositories/RepositorySettings') as ServiceIdentifier<RepositorySettings>,
  Clock: Symbol.for('@vitals/repositories/Clock') as ServiceIdentifier<Clock>,
} as const;
