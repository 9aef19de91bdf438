import { DYNAMODB_CORE_TOKENS, VitalsError, type Item, type Logger } from '@vitals/dynamodb-core';
import {
  providerConnectionEntity,
  syncJobEntity,
  toSyncJob,
  type ProviderConnection,
  type SyncJob,
  type UserTokenInput,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { validInput } from '../base/validate.ts';
import { conflict } from '../errors/repository-errors.ts';
import {
  DEFAULT_SYNC_SCHEDULE,
  REPOSITORY_TOKENS,
  type Clock,
  type RepositorySettings,
  type SyncSchedule,
} from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { EntityStores } from '../store/entity-stores.ts';
import type { StoreAction } from '../store/store-types.ts';
import { SyncJobRepository } from '../sync-job/sync-job.repository.ts';
import {
  completeWrite,
  deferWrite,
  failWrite,
  isLostClaim,
  refusalOf,
  retryAt,
  type SyncJobWrite,
} from '../sync-job/sync-job.transitions.ts';
import { UserTokenRepository } from '../user-token/user-token.repository.ts';
import {
  beginAuthorizationUpdate,
  connectionUpdate,
  consumeAuthorizationUpdate,
  isChained,
  lastError,
  later,
  whyNotConsumed,
  UNREAD,
  type ConnectionChange,
  type Unread,
} from './connection.writes.ts';

const ENTITY = providerConnectionEntity.name;
/** A run's writes are retried this often when only the connection changed under them (e.g. a new authorization began). */
const CONNECTION_RACE_RETRIES = 5;

const NonceSchema = z.string().min(16).max(256);
const RunResultSchema = z.strictObject({
  records_synced: z.number().int().min(0),
  newest_reading_at: z.iso.datetime().optional(),
});

/** What a run decided: the job's write, the job scheduled after it (if any), and the change of the connection. */
interface RunPlan {
  write: SyncJobWrite;
  next?: SyncJob;
  change?: ConnectionChange;
}

/** What recording a run's outcome scheduled: the next job of the connection's chain, if any. */
export interface RunRecorded {
  next?: SyncJob;
}

/**
 * A user's connection to a provider and the chain of sync runs it carries
 * (docs/DEXCOM-SYNC.md): the connect flow of the API (an authorization
 * nonce recorded and consumed once, tokens sealed, a backfill scheduled),
 * the status it shows, disconnecting, and what a sync worker records when a
 * run completes, fails, is deferred or finds the access revoked. Each run's
 * outcome is one transaction over the job, the next job and the
 * connection, so a process that dies leaves either all of it or none.
 */
@injectable()
export class ConnectionService {
  private readonly connections: EntityStore<ProviderConnection, 'status-next_run_at-index'>;
  private readonly jobStore: EntityStore<SyncJob>;
  private readonly log: Logger;

  constructor(
    @inject(EntityStores) private readonly stores: EntityStores,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
    @inject(UserTokenRepository) private readonly tokens: UserTokenRepository,
    @inject(SyncJobRepository) private readonly jobs: SyncJobRepository,
  ) {
    this.log = logger.child({ component: 'ConnectionService' });
    this.connections = stores.for(providerConnectionEntity, { component: 'ConnectionService' });
    this.jobStore = stores.for(syncJobEntity, { component: 'ConnectionService' });
  }

  /** The schedule in force: the settings' `sync_schedule` over {@link DEFAULT_SYNC_SCHEDULE}. */
  get schedule(): SyncSchedule {
    return { ...DEFAULT_SYNC_SCHEDULE, ...this.settings.sync_schedule };
  }

  // ── the connect flow ──────────────────────────────────────────────────

  /**
   * Records `nonce` (only its SHA-256) as the one authorization in progress
   * until `expiresAt`; an earlier one in progress is superseded. Creates a
   * `pending` connection when there is none; a connected one stays connected.
   */
  async beginAuthorization(userId: string, provider: string, nonce: string, expiresAt: Date): Promise<void> {
    const key = this.key(userId, provider);
    validInput(NonceSchema, nonce, ENTITY, 'nonce');
    await this.connections.update(key, beginAuthorizationUpdate(sha256(nonce), expiresAt, this.clock.now()));
  }

  /**
   * Consumes the authorization in progress if `nonce` is its nonce and it
   * has not expired: a state works once. Otherwise `repository.conflict`
   * saying why (already used, superseded, expired), and nothing changes.
   */
  async consumeAuthorization(userId: string, provider: string, nonce: string): Promise<void> {
    const key = this.key(userId, provider);
    validInput(NonceSchema, nonce, ENTITY, 'nonce');
    const now = this.clock.now();
    const outcome = await this.connections.tryUpdate(key, consumeAuthorizationUpdate(sha256(nonce), now));
    if ('written' in outcome) return;
    throw conflict(ENTITY, key, { reason: whyNotConsumed(outcome.existing as Partial<ProviderConnection> | undefined, sha256(nonce), now), cause: outcome.error });
  }

  /**
   * Stores the token set (sealed), marks the connection `connected` and
   * schedules the first run — the last `backfill_days`, due now — in one
   * transaction: all three or none. A job left by an earlier connection
   * is cancelled. What the connection knew about past syncs is kept.
   */
  async connect(userId: string, provider: string, tokens: UserTokenInput): Promise<{ connection: ProviderConnection; job: SyncJob }> {
    const key = this.key(userId, provider);
    const sealed = await this.tokens.saveAction(userId, provider, tokens);
    const existing = await this.get(userId, provider);
    const now = this.clock.now();
    const job = this.newJob(userId, provider, { window_start: daysBefore(now, this.schedule.backfill_days), due: now }, now);
    const connection = dropUndefined<ProviderConnection>({
      user_id: userId,
      provider,
      status: 'connected',
      connected_at: now.toISOString(),
      last_sync_at: existing?.last_sync_at,
      newest_reading_at: existing?.newest_reading_at,
      next_run_at: job.scheduled_at,
      next_job_id: job.job_id,
      created_at: existing?.created_at ?? now.toISOString(),
      updated_at: now.toISOString(),
      version: (existing?.version ?? 0) + 1,
    });
    await this.stores.transact(
      [
        this.connections.putVersionedAction(connection, existing?.version ?? 'new'),
        sealed.action,
        this.newJobAction(job),
      ],
      key,
    );
    if (existing?.next_job_id !== undefined) await this.cancelQuietly(existing.next_job_id);
    this.log.info({ user_id: userId, provider, job_id: job.job_id }, 'provider connected, backfill scheduled');
    return { connection, job };
  }

  /** The connection as stored now, or undefined. */
  async get(userId: string, provider: string): Promise<ProviderConnection | undefined> {
    return this.connections.get(this.key(userId, provider), { consistentRead: true });
  }

  /**
   * Disconnects: the connection deleted first (a run completing meanwhile
   * then schedules nothing), the user's pending and running jobs of the
   * provider cancelled, the token set deleted. Readings stay. Resolves
   * undefined when there was nothing to disconnect; a disconnect cut short
   * finishes when called again.
   */
  async disconnect(userId: string, provider: string): Promise<{ cancelled_jobs: number } | undefined> {
    const key = this.key(userId, provider);
    const connection = await this.connections.delete(key);
    let cancelled = 0;
    const open = { expression: '#provider = :provider AND #status IN (:pending, :running)', names: { '#provider': 'provider', '#status': 'status' }, values: { ':provider': provider, ':pending': 'pending', ':running': 'running' } };
    for await (const job of this.jobStore.queryAll({ index: 'user_id-scheduled_at-index', partition: userId, filter: open })) {
      if (await this.cancelQuietly(job.job_id)) cancelled++;
    }
    const token = await this.tokens.delete(userId, provider);
    if (connection === undefined && token === undefined && cancelled === 0) return undefined;
    this.log.info({ user_id: userId, provider, cancelled_jobs: cancelled }, 'provider disconnected');
    return { cancelled_jobs: cancelled };
  }

  // ── what a sync worker records ────────────────────────────────────────

  /**
   * Completes `job` (running, leased to `owner`) with what it synced. The
   * job that carries the connection's schedule also schedules the next run —
   * `interval_ms` from now, its window starting `overlap_ms` before the end
   * of this one — and records the sync on the connection, all in one
   * transaction. Rejects like `SyncJobRepository.complete` when the lease
   * was lost or the job cancelled (nothing is then written). Resolves with
   * the next job when one was scheduled.
   *
   * The first attempt is planned without reading the connection, for the
   * usual case — the job carries the schedule and brings newer readings —
   * on conditions that refuse it otherwise; refused, the run is planned
   * again from the connection as read. A sync run so costs one request
   * less.
   */
  async completeRun(job: SyncJob, owner: string, result: { records_synced: number; newest_reading_at?: string }): Promise<RunRecorded> {
    const valid = validInput(RunResultSchema, result, syncJobEntity.name);
    const plan = (connection: ProviderConnection | undefined | Unread, now: Date): RunPlan => {
      const write = completeWrite(owner, valid.records_synced, now, this.settings.sync_job_retention_days);
      const newest = connection === UNREAD ? valid.newest_reading_at : later(connection?.newest_reading_at, valid.newest_reading_at);
      const synced = { last_sync_at: now.toISOString(), newest_reading_at: newest };
      if (connection !== UNREAD && !isChained(connection, job)) return { write, change: connection === undefined ? undefined : { set: synced } };
      const overlapped = new Date(Date.parse(job.window_end) - this.schedule.overlap_ms);
      const next = this.nextRun(job, overlapped < new Date(job.window_start) ? new Date(job.window_start) : overlapped, now);
      return {
        write,
        next,
        change: {
          set: { ...synced, synced_through: job.window_end, next_run_at: next.scheduled_at, next_job_id: next.job_id },
          remove: ['last_error', 'last_error_at'],
          chainedTo: job.job_id,
        },
      };
    };
    return this.recordRun(job, plan, plan);
  }

  /**
   * A failed attempt of `job`: with attempts left it is due again after the
   * backoff; after its last one it fails, and the next regular run takes its
   * window over, so the failure delays data but drops none. The connection
   * keeps `error` as `last_error`.
   */
  async failRun(job: SyncJob, owner: string, error: string): Promise<RunRecorded> {
    return this.recordRun(job, (connection, now) => {
      const write = failWrite(job, owner, error, now, this.settings.sync_job_retention_days);
      const failed = lastError(error, now);
      if (!isChained(connection, job)) return { write, change: connection === undefined ? undefined : { set: failed } };
      if (write.retry) return { write, change: { set: { ...failed, next_run_at: retryAt(job, now).toISOString() }, chainedTo: job.job_id } };
      const next = this.nextRun(job, new Date(job.window_start), now);
      return { write, next, change: { set: { ...failed, next_run_at: next.scheduled_at, next_job_id: next.job_id }, chainedTo: job.job_id } };
    });
  }

  /** The provider asked to be called later (a 429): `job` is due again at `until`, its attempt not counted. */
  async deferRun(job: SyncJob, owner: string, until: Date, reason: string): Promise<void> {
    await this.recordRun(job, (connection, now) => {
      const write = deferWrite(job, owner, until, reason, now);
      const deferred = lastError(reason, now);
      if (!isChained(connection, job)) return { write, change: connection === undefined ? undefined : { set: deferred } };
      return { write, change: { set: { ...deferred, next_run_at: until.toISOString() }, chainedTo: job.job_id } };
    });
  }

  /**
   * The provider refused the refresh token: `job` fails for good, the
   * connection becomes `reauthorization_required` and nothing more is
   * scheduled for it until the person connects again.
   */
  async requireReauthorization(job: SyncJob, owner: string, error: string): Promise<void> {
    await this.recordRun(job, (connection, now) => {
      const write = failWrite(job, owner, error, now, this.settings.sync_job_retention_days, { final: true });
      if (connection?.status !== 'connected') return { write };
      return {
        write,
        change: { set: { status: 'reauthorization_required', ...lastError(error, now) }, remove: ['next_run_at', 'next_job_id'], whileConnected: true },
      };
    });
    this.log.warn({ user_id: job.user_id, provider: job.provider, job_id: job.job_id }, 'provider refused the refresh token: reauthorization required');
  }

  /**
   * Repairs schedules a dead process broke: every `connected` connection
   * whose next run is overdue by more than `overdueMs` and whose next job is
   * finished or gone (e.g. failed because its last lease expired) gets a new
   * run, due now, from where the broken one started. Racing repairers make
   * one job: the loser's condition fails and it moves on.
   */
  async repairOverdue(overdueMs: number): Promise<SyncJob[]> {
    validInput(z.number().int().min(0), overdueMs, ENTITY, 'overdue_ms');
    const now = this.clock.now();
    const before = new Date(now.getTime() - overdueMs).toISOString();
    const repaired: SyncJob[] = [];
    for await (const connection of this.connections.queryAll({ index: 'status-next_run_at-index', partition: 'connected', sort: { lt: before } })) {
      const current = connection.next_job_id === undefined ? undefined : await this.jobs.get(connection.next_job_id);
      if (current?.status === 'pending' || current?.status === 'running') continue;
      const from =
        current !== undefined && current.status !== 'completed'
          ? new Date(current.window_start)
          : connection.synced_through !== undefined
            ? new Date(Date.parse(connection.synced_through) - this.schedule.overlap_ms)
            : daysBefore(now, this.schedule.backfill_days);
      const next = this.newJob(connection.user_id, connection.provider, { window_start: from, due: now }, now);
      const change: ConnectionChange = { set: { next_run_at: next.scheduled_at, next_job_id: next.job_id }, whileConnected: true };
      const key = this.key(connection.user_id, connection.provider);
      try {
        await this.stores.transact(
          [this.newJobAction(next), this.connections.action({ update: { key, params: connectionUpdate(change, connection.version, now) } })],
          key,
        );
      } catch (error) {
        if (VitalsError.is(error, 'repository.conflict')) continue;
        throw error;
      }
      this.log.warn({ user_id: connection.user_id, provider: connection.provider, job_id: next.job_id, broken_job_id: connection.next_job_id }, 'overdue schedule repaired');
      repaired.push(next);
    }
    return repaired;
  }

  // ── internals ────────────────────────────────────────────────────────

  private key(userId: string, provider: string): { user_id: string; provider: string } {
    return this.connections.key({ user_id: userId, provider });
  }

  /**
   * Writes a run's outcome as one transaction: the job's write, the next job
   * and the connection's change, planned from the connection as read. When
   * the transaction is refused, the job as stored says whether this worker
   * lost the job (that refusal is thrown) or only the connection changed
   * meanwhile (planned and tried again). A transaction returns no item, and
   * the worker needs none: whoever wants the job as stored reads it.
   *
   * With `unread`, the first attempt is planned without reading the
   * connection (see `connectionUpdate`); a refusal that is not the job's
   * falls back to reading it.
   */
  private async recordRun(
    job: SyncJob,
    plan: (connection: ProviderConnection | undefined, now: Date) => RunPlan,
    unread?: (connection: Unread, now: Date) => RunPlan,
  ): Promise<RunRecorded> {
    const jobKey = this.jobStore.key({ job_id: job.job_id });
    const connectionKey = this.key(job.user_id, job.provider);
    for (let attempt = 1; ; attempt++) {
      const connection = attempt === 1 && unread !== undefined ? UNREAD : await this.get(job.user_id, job.provider);
      const now = this.clock.now();
      const { write, next, change } = connection === UNREAD && unread !== undefined ? unread(UNREAD, now) : plan(connection as ProviderConnection | undefined, now);
      const actions: StoreAction[] = [this.jobStore.action({ update: { key: jobKey, params: write.update } })];
      if (next !== undefined) actions.push(this.newJobAction(next));
      if (change !== undefined && connection !== undefined) {
        const seen = connection === UNREAD ? UNREAD : connection.version;
        actions.push(this.connections.action({ update: { key: connectionKey, params: connectionUpdate(change, seen, now) } }));
      }
      try {
        await this.stores.transact(actions, jobKey);
      } catch (error) {
        if (!VitalsError.is(error, 'repository.conflict')) throw error;
        const stored = await this.jobStore.getRaw(jobKey, { consistentRead: true });
        const refusal = refusalOf(jobKey, stored, write.requires, error);
        if (refusal !== undefined) throw refusal;
        if (attempt >= CONNECTION_RACE_RETRIES) throw error;
        continue;
      }
      return next === undefined ? {} : { next };
    }
  }

  /** The run after `job`, due `interval_ms` from now, its window from `from` to when it is due. */
  private nextRun(job: SyncJob, from: Date, now: Date): SyncJob {
    return this.newJob(job.user_id, job.provider, { window_start: from, due: new Date(now.getTime() + this.schedule.interval_ms) }, now);
  }

  /** A new pending job, due at `due`, whose window ends then. */
  private newJob(userId: string, provider: string, run: { window_start: Date; due: Date }, now: Date): SyncJob {
    const due = run.due.toISOString();
    const start = run.window_start < run.due ? run.window_start : new Date(run.due.getTime() - this.schedule.interval_ms);
    return toSyncJob(
      randomUUID(),
      userId,
      { provider, scheduled_at: due, window_start: start.toISOString(), window_end: due, max_attempts: this.schedule.max_attempts },
      now,
    );
  }

  private newJobAction(job: SyncJob): StoreAction {
    return this.jobStore.action({
      put: { item: job as unknown as Item, condition: { conditionExpression: 'attribute_not_exists(#job_id)', expressionAttributeNames: { '#job_id': 'job_id' } } },
    });
  }

  /** Cancels a job unless it is already finished or gone; true when it was cancelled. */
  private async cancelQuietly(jobId: string): Promise<boolean> {
    try {
      await this.jobs.cancel(jobId);
      return true;
    } catch (error) {
      if (isLostClaim(error)) return false;
      throw error;
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** `value` without its undefined properties (DynamoDB stores no undefined). */
function dropUndefined<T extends object>(value: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
