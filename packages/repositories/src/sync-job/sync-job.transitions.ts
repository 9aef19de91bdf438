import { VitalsError, type Item, type Key, type UpdateParams } from '@vitals/dynamodb-core';
import { syncJobEntity, type SyncJob, type SyncJobStatus } from '@vitals/models';
import { conflict, invalidTransition, notFound } from '../errors/repository-errors.ts';
import { updateParams } from '../store/update-params.ts';
import { syncJobRetryDelayMs } from './sync-job.backoff.ts';

/*
 * The sync-job life cycle, without I/O: which status allows which change,
 * the conditional update each change writes, and — when DynamoDB refuses
 * the condition — why, read from the stored job. SyncJobRepository sends
 * these updates and throws these errors; this module decides them.
 *
 * pending ──claim──▶ running ──complete──▶ completed
 *    ▲                 │ │
 *    └─────retry───────┘ └──fail (last attempt)──▶ failed
 * pending | running ──cancel──▶ cancelled
 * pending | running ──expire (claimable, no attempts left)──▶ failed
 * running ──defer (the provider said "later")──▶ pending, the attempt not counted
 *
 * Every update bumps `version` and sets `updated_at`, so of two racing
 * writers only one succeeds.
 */

const ENTITY = syncJobEntity.name;

/** Longest lease a claim or heartbeat may take: one day. */
export const SYNC_JOB_MAX_LEASE_MS = 86_400_000;

/** Longest `last_error` kept; a longer error message is cut to this many characters. */
export const SYNC_JOB_LAST_ERROR_MAX_LENGTH = 4_096;

/** Every change of a job: the statuses that allow it and the status it leads to. */
export const SYNC_JOB_TRANSITIONS = {
  claim: { from: ['pending', 'running'], to: 'running' },
  heartbeat: { from: ['running'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
  /** `fail` with attempts left: due again after the backoff. */
  retry: { from: ['running'], to: 'pending' },
  fail: { from: ['running'], to: 'failed' },
  cancel: { from: ['pending', 'running'], to: 'cancelled' },
  /** Back to `pending` at a time the provider named (a 429's `Retry-After`), the attempt given back. */
  defer: { from: ['running'], to: 'pending' },
  /** A claimable job with no attempts left (its last lease expired) is failed instead of claimed. */
  expire: { from: ['pending', 'running'], to: 'failed' },
} as const satisfies Record<string, { from: readonly SyncJobStatus[]; to: SyncJobStatus }>;

export type SyncJobChange = keyof typeof SYNC_JOB_TRANSITIONS;

/** Statuses no change leaves. */
const FINISHED: readonly string[] = ['completed', 'failed', 'cancelled'] satisfies SyncJobStatus[];

/** What a change requires of the stored job, to explain a failed condition. */
export interface SyncJobRequirement {
  change: SyncJobChange;
  /** The lease owner the job must have. */
  owner?: string;
  /** The `version` the job must be at. */
  expectedVersion?: number;
}

/** One conditional update and what its condition requires. */
export interface SyncJobWrite {
  update: UpdateParams;
  requires: SyncJobRequirement;
}

/** `running`, leased to `owner` until now + `leaseMs`, `attempts` + 1: for a due `pending` job or an expired lease with attempts left. */
export function claimUpdate(owner: string, leaseMs: number, now: Date): UpdateParams {
  return updateParams(
    'SET #status = :running, #lease_owner = :owner, #lease_expires_at = :lease_until, ' +
      '#started_at = if_not_exists(#started_at, :now), #attempts = #attempts + :one, ' +
      '#version = #version + :one, #updated_at = :now',
    '#attempts < #max_attempts AND ((#status = :pending AND #scheduled_at <= :now) OR ' +
      '(#status = :running AND #lease_expires_at < :now))',
    {
      ':running': 'running',
      ':pending': 'pending',
      ':owner': owner,
      ':lease_until': new Date(now.getTime() + leaseMs).toISOString(),
      ':now': now.toISOString(),
      ':one': 1,
    },
  );
}

/** Why a claim's condition failed, read from the stored job. */
export type FailedClaim =
  /** The job is missing, or finished: the claim is rejected with this. */
  | { refusal: VitalsError<'repository.notFound'> | VitalsError<'repository.invalidTransition'> }
  /**
   * Not claimed, which is no error (workers race for jobs). `exhausted`: the
   * job is claimable but has no attempts left, so it is to be failed
   * ({@link expireUpdate}); otherwise it is not due yet or under a live lease.
   */
  | { status: string; exhausted: boolean };

export function failedClaim(key: Key, existing: Item | undefined, now: Date, cause?: unknown): FailedClaim {
  if (existing === undefined) return { refusal: notFound(ENTITY, key, cause) };
  const status = String(existing['status']);
  if (FINISHED.includes(status)) return { refusal: invalidTransition(ENTITY, key, status, SYNC_JOB_TRANSITIONS.claim.to, cause) };
  const at = now.toISOString();
  const claimable =
    (status === 'pending' && String(existing['scheduled_at']) <= at) ||
    (status === 'running' && String(existing['lease_expires_at']) < at);
  return { status, exhausted: claimable && Number(existing['attempts']) >= Number(existing['max_attempts']) };
}

/**
 * Whether a claim whose condition failed found its own write: `running`,
 * leased to `owner`, updated at the claim's very instant. That is the SDK
 * retrying a claim whose first attempt landed but whose answer was lost (a
 * request timeout); the job is the claimer's, and treating it as a lost race
 * would leave it leased to no run until the lease lapsed.
 */
export function claimLanded(existing: Item | undefined, owner: string, now: Date): boolean {
  return (
    existing !== undefined &&
    existing['status'] === 'running' &&
    existing['lease_owner'] === owner &&
    existing['updated_at'] === now.toISOString()
  );
}

/**
 * A claim of a listed job that was rejected because the job is gone or
 * finished: another worker got there first (the listing is eventually
 * consistent), which `claimDue` skips rather than fails on.
 */
export function isLostClaim(error: unknown): boolean {
  return VitalsError.is(error, 'repository.notFound') || VitalsError.is(error, 'repository.invalidTransition');
}

/**
 * `failed` for a job {@link failedClaim} found exhausted, conditioned on the
 * version seen: if someone changed the job first, whatever they did stands.
 */
export function expireUpdate(existing: Item, now: Date, retentionDays: number | undefined): UpdateParams {
  const finish = finishing(now, retentionDays);
  const attempt = `${String(existing['attempts'])} of ${String(existing['max_attempts'])}`;
  const error =
    existing['status'] === 'running'
      ? `attempt ${attempt} did not finish: its lease expired at ${String(existing['lease_expires_at'])}`
      : `no attempts left (${attempt})`;
  return updateParams(
    `SET #status = :failed, #last_error = :error, ${finish.set}, #version = #version + :one, #updated_at = :now ` +
      'REMOVE #lease_owner, #lease_expires_at',
    '#version = :seen_version',
    {
      ':failed': 'failed',
      ':error': error,
      ':seen_version': existing['version'],
      ':now': now.toISOString(),
      ':one': 1,
      ...finish.values,
    },
  );
}

/** The lease of a `running` job held by `owner` extended to now + `leaseMs`. */
export function heartbeatWrite(owner: string, leaseMs: number, now: Date, expectedVersion?: number): SyncJobWrite {
  return {
    update: updateParams(
      'SET #lease_expires_at = :lease_until, #version = #version + :one, #updated_at = :now',
      `#status = :running AND #lease_owner = :owner${versionClause(expectedVersion)}`,
      {
        ':running': 'running',
        ':owner': owner,
        ':lease_until': new Date(now.getTime() + leaseMs).toISOString(),
        ':now': now.toISOString(),
        ':one': 1,
        ':expected_version': expectedVersion,
      },
    ),
    requires: { change: 'heartbeat', owner, expectedVersion },
  };
}

/** A `running` job held by `owner` `completed` with `recordsSynced`; the lease released. */
export function completeWrite(
  owner: string,
  recordsSynced: number,
  now: Date,
  retentionDays: number | undefined,
  expectedVersion?: number,
): SyncJobWrite {
  const finish = finishing(now, retentionDays);
  return {
    update: updateParams(
      `SET #status = :completed, #records_synced = :records_synced, ${finish.set}, #version = #version + :one, ` +
        '#updated_at = :now REMOVE #lease_owner, #lease_expires_at',
      `#status = :running AND #lease_owner = :owner${versionClause(expectedVersion)}`,
      {
        ':completed': 'completed',
        ':running': 'running',
        ':owner': owner,
        ':records_synced': recordsSynced,
        ':now': now.toISOString(),
        ':one': 1,
        ':expected_version': expectedVersion,
        ...finish.values,
      },
    ),
    requires: { change: 'complete', owner, expectedVersion },
  };
}

/**
 * A failed attempt of `job` (as read, `running` and held by `owner`): with
 * attempts left (and not `final`: an error no retry can mend) back to `pending`, due after {@link syncJobRetryDelayMs},
 * else `failed`. Conditioned also on `attempts` being what was read, since
 * the backoff depends on it. `last_error` keeps `error`, cut to
 * {@link SYNC_JOB_LAST_ERROR_MAX_LENGTH}; the lease is released.
 */
export function failWrite(
  job: SyncJob,
  owner: string,
  error: string,
  now: Date,
  retentionDays: number | undefined,
  options: { expectedVersion?: number; final?: boolean } = {},
): SyncJobWrite & { retry: boolean } {
  const { expectedVersion } = options;
  const retry = options.final !== true && job.attempts < job.max_attempts;
  const finish = finishing(now, retentionDays);
  return {
    retry,
    update: updateParams(
      retry
        ? 'SET #status = :pending, #scheduled_at = :retry_at, #last_error = :error, #version = #version + :one, ' +
            '#updated_at = :now REMOVE #lease_owner, #lease_expires_at'
        : `SET #status = :failed, #last_error = :error, ${finish.set}, #version = #version + :one, ` +
            '#updated_at = :now REMOVE #lease_owner, #lease_expires_at',
      `#status = :running AND #lease_owner = :owner AND #attempts = :attempts${versionClause(expectedVersion)}`,
      {
        ':pending': 'pending',
        ':failed': 'failed',
        ':running': 'running',
        ':owner': owner,
        ':attempts': job.attempts,
        ':retry_at': retryAt(job, now).toISOString(),
        ':error': error.slice(0, SYNC_JOB_LAST_ERROR_MAX_LENGTH),
        ':now': now.toISOString(),
        ':one': 1,
        ':expected_version': expectedVersion,
        ...finish.values,
      },
    ),
    // Refused by status, the caller learns the job "cannot become failed", whether or not a retry was due.
    requires: { change: 'fail', owner, expectedVersion },
  };
}

/**
 * `job` (as read, `running` and held by `owner`) back to `pending`, due at
 * `until`, its attempt given back (`attempts` − 1): the provider asked to be
 * called later, which is no failure of the job. `last_error` keeps `reason`;
 * the lease is released. Conditioned on `attempts` being what was read.
 */
export function deferWrite(job: SyncJob, owner: string, until: Date, reason: string, now: Date): SyncJobWrite {
  return {
    update: updateParams(
      'SET #status = :pending, #scheduled_at = :until, #last_error = :error, #attempts = #attempts - :one, ' +
        '#version = #version + :one, #updated_at = :now REMOVE #lease_owner, #lease_expires_at',
      '#status = :running AND #lease_owner = :owner AND #attempts = :attempts',
      {
        ':pending': 'pending',
        ':running': 'running',
        ':owner': owner,
        ':attempts': job.attempts,
        ':until': until.toISOString(),
        ':error': reason.slice(0, SYNC_JOB_LAST_ERROR_MAX_LENGTH),
        ':now': now.toISOString(),
        ':one': 1,
      },
    ),
    requires: { change: 'defer', owner },
  };
}

/** When a job whose attempt failed at `now` is due again, attempts left: after {@link syncJobRetryDelayMs}. */
export function retryAt(job: Pick<SyncJob, 'attempts'>, now: Date): Date {
  return new Date(now.getTime() + syncJobRetryDelayMs(Math.max(job.attempts, 1)));
}

/** A `pending` or `running` job `cancelled`; the lease released. */
export function cancelWrite(now: Date, retentionDays: number | undefined, expectedVersion?: number): SyncJobWrite {
  const finish = finishing(now, retentionDays);
  return {
    update: updateParams(
      `SET #status = :cancelled, ${finish.set}, #version = #version + :one, #updated_at = :now ` +
        'REMOVE #lease_owner, #lease_expires_at',
      `#status IN (:pending, :running)${versionClause(expectedVersion)}`,
      {
        ':cancelled': 'cancelled',
        ':pending': 'pending',
        ':running': 'running',
        ':now': now.toISOString(),
        ':one': 1,
        ':expected_version': expectedVersion,
        ...finish.values,
      },
    ),
    requires: { change: 'cancel', expectedVersion },
  };
}

/**
 * Why the stored job does not meet `requires`, or undefined when it does:
 * `repository.notFound`; `repository.conflict` when it is not at the
 * expected version; `repository.invalidTransition` when its status does not
 * allow the change; `repository.conflict` when another worker holds the lease.
 */
export function refusalOf(key: Key, existing: Item | undefined, requires: SyncJobRequirement, cause?: unknown): VitalsError | undefined {
  if (existing === undefined) return notFound(ENTITY, key, cause);
  const versions = { expected: requires.expectedVersion, actual: existing['version'] };
  if (requires.expectedVersion !== undefined && existing['version'] !== requires.expectedVersion) {
    return conflict(ENTITY, key, { versions, cause });
  }
  const status = String(existing['status']);
  const transition = SYNC_JOB_TRANSITIONS[requires.change];
  if (!(transition.from as readonly string[]).includes(status)) return invalidTransition(ENTITY, key, status, transition.to, cause);
  if (requires.owner !== undefined && existing['lease_owner'] !== requires.owner) {
    return conflict(ENTITY, key, { versions, reason: 'is leased to another worker', cause });
  }
  return undefined;
}

/** The error for an update whose condition failed against `existing`: {@link refusalOf}, or else a conflict (it changed meanwhile). */
export function failedUpdate(key: Key, existing: Item | undefined, requires: SyncJobRequirement, cause?: unknown): VitalsError {
  return (
    refusalOf(key, existing, requires, cause) ??
    conflict(ENTITY, key, { versions: { expected: requires.expectedVersion, actual: existing?.['version'] }, cause })
  );
}

/** What every finished job gets: when it finished, and — with a retention — when it expires (epoch seconds). */
export function finishing(now: Date, retentionDays: number | undefined): { set: string; values: Record<string, unknown> } {
  if (retentionDays === undefined) return { set: '#completed_at = :now', values: {} };
  return {
    set: '#completed_at = :now, #expires_at = :expires_at',
    values: { ':expires_at': Math.floor(now.getTime() / 1_000) + retentionDays * 86_400 },
  };
}

function versionClause(expectedVersion: number | undefined): string {
  return expectedVersion === undefined ? '' : ' AND #version = :expected_version';
}
