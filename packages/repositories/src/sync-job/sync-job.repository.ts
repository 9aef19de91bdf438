import {
  DYNAMODB_CORE_TOKENS,
  DynamoDBService,
  VitalsError,
  type Item,
  type Key,
  type Logger,
  type UpdateParams,
} from '@vitals/dynamodb-core';
import {
  IsoInstantSchema,
  SyncJobInputSchema,
  SyncJobSchema,
  VersionSchema,
  syncJobEntity,
  syncJobTimeProblems,
  toSyncJob,
  type SyncJob,
  type SyncJobStatus,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BaseRepository, MAX_PAGE_LIMIT, type Page, type PageRequest, type QuerySpec } from '../base/base-repository.ts';
import { validInput, validKey } from '../base/validate.ts';
import { invalidInput } from '../errors/repository-errors.ts';
import { REPOSITORY_TOKENS, type Clock, type RepositorySettings } from '../settings/repository-settings.ts';
import { syncJobRetryDelayMs } from './sync-job.backoff.ts';

const ENTITY = syncJobEntity.name;
const byStatus = syncJobEntity.indexes['status-scheduled_at-index'];
const byUser = syncJobEntity.indexes['user_id-scheduled_at-index'];

/** Longest lease a claim or heartbeat may take: one day. */
export const SYNC_JOB_MAX_LEASE_MS = 86_400_000;

/** Longest `last_error` kept; a longer error message is cut to this many characters. */
export const SYNC_JOB_LAST_ERROR_MAX_LENGTH = 4_096;

/** claimDue reads this many candidates per job it still wants, so racing workers spread over a wider window. */
const CANDIDATES_PER_WANTED_JOB = 4;

const OwnerSchema = z.string().min(1).max(256);
const LeaseSchema = z.strictObject({
  owner: OwnerSchema,
  lease_ms: z.number().int().min(1).max(SYNC_JOB_MAX_LEASE_MS),
});
const WriteOptionsSchema = z.strictObject({ expectedVersion: VersionSchema.optional() });

/** Optimistic locking for one update: when given, the update applies only to this version. */
export interface SyncJobWriteOptions {
  /** The `version` the caller read; another version stored means `repository.conflict`. */
  expectedVersion?: number;
}

export interface SyncJobListOptions {
  /** By `scheduled_at`; default ascending (earliest first). */
  order?: 'asc' | 'desc';
}

/** What an update requires of the stored job, to explain a failed condition. */
interface Transition {
  from: readonly SyncJobStatus[];
  to: SyncJobStatus;
  /** The lease owner the job must have. */
  owner?: string;
  expectedVersion?: number;
}

const FINISHED: readonly SyncJobStatus[] = ['completed', 'failed', 'cancelled'];

/**
 * Sync jobs (the jobs table) and their life cycle:
 *
 * ```
 * pending ──claim──▶ running ──complete──▶ completed
 *    ▲                 │ │
 *    └──fail (retry)───┘ └──fail (last attempt)──▶ failed
 * pending | running ──cancel──▶ cancelled
 * ```
 *
 * Every change is one conditional UpdateItem that bumps `version` and sets
 * `updated_at`, so racing writers cannot both succeed. A rejected change is
 * typed by what the stored job shows: `repository.notFound`,
 * `repository.invalidTransition` (its status does not allow it), or
 * `repository.conflict` (another worker holds the lease, or the job is no
 * longer at `expectedVersion`). A finished job gets `expires_at` from
 * `sync_job_retention_days`.
 */
@injectable()
export class SyncJobRepository {
  private readonly base: BaseRepository<SyncJob>;
  private readonly log: Logger;

  constructor(
    @inject(DynamoDBService) private readonly db: DynamoDBService,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.log = logger.child({ component: 'SyncJobRepository' });
    this.base = new BaseRepository(db, this.log, settings, { entity: ENTITY, table: syncJobEntity.table, schema: SyncJobSchema });
  }

  /**
   * Schedules a job for a user: a new `job_id`, `pending`, no attempts yet,
   * version 1. `scheduled_at` left out means now.
   */
  async create(userId: string, input: unknown): Promise<SyncJob> {
    validKey(ENTITY, () => byUser.partition(userId));
    const valid = validInput(SyncJobInputSchema, input, ENTITY);
    const now = this.clock.now();
    // A window in the future or a job years ahead is a client's mistake: refused with the field named.
    const implausible = syncJobTimeProblems(valid, now);
    if (implausible.length > 0) throw invalidInput(ENTITY, implausible);
    const job = toSyncJob(randomUUID(), userId, valid, now);
    await this.base.putVersioned(job, 'new');
    this.log.info({ job_id: job.job_id, provider: job.provider, scheduled_at: job.scheduled_at }, 'sync job created');
    return job;
  }

  /** The job as stored now (a strongly consistent read), or undefined. */
  async get(jobId: string): Promise<SyncJob | undefined> {
    return this.base.get(this.key(jobId), { consistentRead: true });
  }

  /** One page of a user's jobs by `scheduled_at`. */
  async listByUser(userId: string, page: PageRequest = {}, options: SyncJobListOptions = {}): Promise<Page<SyncJob>> {
    const condition = validKey(ENTITY, () => byUser.keyCondition(userId));
    return this.base.queryPage({ ...condition, descending: options.order === 'desc' }, page);
  }

  /**
   * One page of `pending` jobs with `scheduled_at` ≤ `dueBy`, earliest
   * first. Pass the same `dueBy` with a page's cursor to get the next page.
   * Served by an index, so a job claimed a moment ago may still be listed.
   */
  async listDue(dueBy: string, page: PageRequest = {}): Promise<Page<SyncJob>> {
    return this.listByStatus('pending', dueBy, page);
  }

  /**
   * One page of the jobs in `status` with `scheduled_at` ≤ `scheduledBy`
   * (every one when absent), earliest first; served by the status index.
   */
  async listByStatus(status: SyncJobStatus, scheduledBy?: string, page: PageRequest = {}): Promise<Page<SyncJob>> {
    const condition = validKey(ENTITY, () =>
      byStatus.keyCondition(status, scheduledBy === undefined ? undefined : { lte: scheduledBy }),
    );
    return this.base.queryPage(condition, page);
  }

  /**
   * One page of `running` jobs whose lease expired before `now`: jobs whose
   * worker stopped reporting, which `claim` may take over.
   */
  async listExpiredLeases(now: string, page: PageRequest = {}): Promise<Page<SyncJob>> {
    const at = validInput(IsoInstantSchema, now, ENTITY, 'now');
    const condition = validKey(ENTITY, () => byStatus.keyCondition('running'));
    const spec: QuerySpec = {
      ...condition,
      filterExpression: '#lease_expires_at < :now',
      expressionAttributeNames: { ...condition.expressionAttributeNames, '#lease_expires_at': 'lease_expires_at' },
      expressionAttributeValues: { ...condition.expressionAttributeValues, ':now': at },
    };
    return this.base.queryPage(spec, page);
  }

  /**
   * Leases one job to `owner` for `leaseMs`, in one conditional update: a
   * `pending` job that is due, or a `running` one whose lease has expired.
   * The job becomes `running`, `attempts` + 1.
   *
   * Resolves `undefined` when the job is not claimable now — not due yet, or
   * held under a live lease (also by `owner`: extend with `heartbeat`).
   * Workers race for jobs by design, so losing is not an error. A job whose
   * expired lease was its last attempt is marked `failed` instead.
   * Rejects with `repository.notFound`, or `repository.invalidTransition`
   * for a finished job.
   */
  async claim(jobId: string, owner: string, leaseMs: number): Promise<SyncJob | undefined> {
    const key = this.key(jobId);
    this.validLease(owner, leaseMs);
    const now = this.clock.now();
    const at = now.toISOString();
    const outcome = await this.tryUpdate(
      key,
      updateParams(
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
          ':now': at,
          ':one': 1,
        },
      ),
    );
    if ('job' in outcome) {
      this.log.info({ job_id: jobId, attempts: outcome.job.attempts, lease_owner: owner }, 'sync job claimed');
      return outcome.job;
    }

    const existing = outcome.existing;
    if (existing === undefined) throw notFound(key, outcome.error);
    const status = String(existing['status']);
    if ((FINISHED as readonly string[]).includes(status)) throw invalidTransition(key, status, 'running', outcome.error);
    const claimable =
      (status === 'pending' && String(existing['scheduled_at']) <= at) ||
      (status === 'running' && String(existing['lease_expires_at']) < at);
    if (claimable && Number(existing['attempts']) >= Number(existing['max_attempts'])) {
      await this.failExhausted(key, existing, now);
    }
    this.log.debug({ job_id: jobId, status }, 'sync job not claimed');
    return undefined;
  }

  /**
   * Claims up to `limit` jobs for `owner`: first `running` jobs whose lease
   * expired, then due `pending` jobs, earliest first within a window of
   * candidates tried in random order (so racing workers collide less).
   * Resolves with the jobs this owner won, by `scheduled_at`; `[]` when
   * nothing is claimable. Jobs listed but lost to another worker are skipped.
   *
   * Any other failure (e.g. `dynamodb.unavailable`) rejects the call; jobs
   * it had already claimed stay leased to `owner` until their lease expires,
   * then can be claimed again.
   */
  async claimDue(owner: string, leaseMs: number, limit = 1): Promise<SyncJob[]> {
    this.validLease(owner, leaseMs);
    validInput(z.number().int().min(1).max(MAX_PAGE_LIMIT), limit, ENTITY, 'limit');
    const now = this.clock.now().toISOString();
    const won: SyncJob[] = [];
    await this.claimFrom((page) => this.listExpiredLeases(now, page), owner, leaseMs, limit, won);
    await this.claimFrom((page) => this.listDue(now, page), owner, leaseMs, limit, won);
    return won.sort((a, b) => cmp(a.scheduled_at, b.scheduled_at) || cmp(a.job_id, b.job_id));
  }

  /**
   * Extends the lease of a `running` job held by `owner` to now + `leaseMs`
   * (also after it expired, as long as no one else has claimed the job).
   * Rejects with `repository.conflict` when another worker holds the lease
   * (this worker should stop), `repository.invalidTransition` when the job
   * is not running (e.g. it was cancelled), `repository.notFound`.
   */
  async heartbeat(jobId: string, owner: string, leaseMs: number, options: SyncJobWriteOptions = {}): Promise<SyncJob> {
    const key = this.key(jobId);
    this.validLease(owner, leaseMs);
    const { expectedVersion } = this.validOptions(options);
    const now = this.clock.now();
    return this.update(
      key,
      updateParams(
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
      { from: ['running'], to: 'running', owner, expectedVersion },
    );
  }

  /**
   * Marks a `running` job held by `owner` `completed` with the number of
   * records it synced; the lease is released. Rejects like `heartbeat`.
   */
  async complete(jobId: string, owner: string, recordsSynced: number, options: SyncJobWriteOptions = {}): Promise<SyncJob> {
    const key = this.key(jobId);
    validInput(
      z.strictObject({ owner: OwnerSchema, records_synced: z.number().int().min(0) }),
      { owner, records_synced: recordsSynced },
      ENTITY,
    );
    const { expectedVersion } = this.validOptions(options);
    const now = this.clock.now();
    const finish = this.finishing(now);
    const job = await this.update(
      key,
      updateParams(
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
      { from: ['running'], to: 'completed', owner, expectedVersion },
    );
    this.log.info({ job_id: jobId, attempts: job.attempts, records_synced: recordsSynced }, 'sync job completed');
    return job;
  }

  /**
   * Records a failed attempt of a `running` job held by `owner`. With
   * attempts left, the job goes back to `pending`, due again after
   * {@link syncJobRetryDelayMs}; after its last attempt it is `failed`.
   * Either way `last_error` keeps `error` (cut to 4,096 characters) and the
   * lease is released. Rejects like `heartbeat`.
   */
  async fail(jobId: string, owner: string, error: string, options: SyncJobWriteOptions = {}): Promise<SyncJob> {
    const key = this.key(jobId);
    validInput(z.strictObject({ owner: OwnerSchema, error: z.string() }), { owner, error }, ENTITY);
    const { expectedVersion } = this.validOptions(options);
    const transition: Transition = { from: ['running'], to: 'failed', owner, expectedVersion };

    // The backoff depends on `attempts`, which an update expression cannot branch on: read, then
    // update on condition that attempts and owner are still what was read.
    const current = await this.db.getItem(key, this.base.tableName, { consistentRead: true });
    const refusal = refusalOf(key, current, transition);
    if (refusal !== undefined) throw refusal;
    const job = this.parsed(current as Item, key);

    const now = this.clock.now();
    const retry = job.attempts < job.max_attempts;
    const finish = this.finishing(now);
    const updated = await this.update(
      key,
      updateParams(
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
          ':retry_at': new Date(now.getTime() + syncJobRetryDelayMs(Math.max(job.attempts, 1))).toISOString(),
          ':error': error.slice(0, SYNC_JOB_LAST_ERROR_MAX_LENGTH),
          ':now': now.toISOString(),
          ':one': 1,
          ':expected_version': expectedVersion,
          ...finish.values,
        },
      ),
      transition,
    );
    this.log.info(
      {
        job_id: jobId,
        status: updated.status,
        attempts: updated.attempts,
        max_attempts: updated.max_attempts,
        scheduled_at: updated.scheduled_at,
      },
      retry ? 'sync job attempt failed, retry scheduled' : 'sync job failed',
    );
    return updated;
  }

  /**
   * Cancels a `pending` or `running` job; a running job's lease is released
   * and its worker learns of it at its next heartbeat. Rejects with
   * `repository.invalidTransition` for a finished job, `repository.notFound`,
   * or `repository.conflict` when `expectedVersion` is stale.
   */
  async cancel(jobId: string, options: SyncJobWriteOptions = {}): Promise<SyncJob> {
    const key = this.key(jobId);
    const { expectedVersion } = this.validOptions(options);
    const now = this.clock.now();
    const finish = this.finishing(now);
    const job = await this.update(
      key,
      updateParams(
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
      { from: ['pending', 'running'], to: 'cancelled', expectedVersion },
    );
    this.log.info({ job_id: jobId }, 'sync job cancelled');
    return job;
  }

  // ── internals ────────────────────────────────────────────────────────

  private key(jobId: string): Key {
    return validKey(ENTITY, () => syncJobEntity.key({ job_id: jobId }));
  }

  private validLease(owner: string, leaseMs: number): void {
    validInput(LeaseSchema, { owner, lease_ms: leaseMs }, ENTITY);
  }

  private validOptions(options: SyncJobWriteOptions): SyncJobWriteOptions {
    return validInput(WriteOptionsSchema, options, ENTITY, 'options');
  }

  /** What every finished job gets: when it finished, and when it expires. */
  private finishing(now: Date): { set: string; values: Record<string, unknown> } {
    const days = this.settings.sync_job_retention_days;
    if (days === undefined) return { set: '#completed_at = :now', values: {} };
    return {
      set: '#completed_at = :now, #expires_at = :expires_at',
      values: { ':expires_at': Math.floor(now.getTime() / 1_000) + days * 86_400 },
    };
  }

  /** Tries candidates listed page by page until `won` holds `limit` jobs or the listing ends. */
  private async claimFrom(
    list: (page: PageRequest) => Promise<Page<SyncJob>>,
    owner: string,
    leaseMs: number,
    limit: number,
    won: SyncJob[],
  ): Promise<void> {
    let cursor: string | null = null;
    while (won.length < limit) {
      const page: Page<SyncJob> = await list({
        limit: Math.min(MAX_PAGE_LIMIT, (limit - won.length) * CANDIDATES_PER_WANTED_JOB),
        cursor,
      });
      const candidates = shuffled(page.items);
      while (won.length < limit && candidates.length > 0) {
        const batch = candidates.splice(0, limit - won.length);
        const results = await Promise.allSettled(batch.map((job) => this.claim(job.job_id, owner, leaseMs)));
        for (const result of results) {
          if (result.status === 'fulfilled' && result.value !== undefined) won.push(result.value);
        }
        const failure = results.find((result) => result.status === 'rejected' && !isLostRace(result.reason));
        if (failure !== undefined) {
          this.log.error(
            { lease_owner: owner, claimed: won.map((job) => job.job_id) },
            'claimDue failed; the jobs it claimed stay leased until their lease expires',
          );
          throw (failure as PromiseRejectedResult).reason;
        }
      }
      cursor = page.next_cursor;
      if (cursor === null) return;
    }
  }

  /** A job left claimable with no attempts left (its last lease expired) is failed, not run again. */
  private async failExhausted(key: Key, existing: Item, now: Date): Promise<void> {
    const finish = this.finishing(now);
    const attempt = `${String(existing['attempts'])} of ${String(existing['max_attempts'])}`;
    const error =
      existing['status'] === 'running'
        ? `attempt ${attempt} did not finish: its lease expired at ${String(existing['lease_expires_at'])}`
        : `no attempts left (${attempt})`;
    const outcome = await this.tryUpdate(
      key,
      updateParams(
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
      ),
    );
    // A lost condition means someone else changed the job first; whatever they did stands.
    if ('job' in outcome) {
      this.log.info({ job_id: key['job_id'], attempts: outcome.job.attempts }, 'sync job failed: lease expired on its last attempt');
    }
  }

  /** An update whose failed condition is explained by the stored job. */
  private async update(key: Key, params: UpdateParams, transition: Transition): Promise<SyncJob> {
    const outcome = await this.tryUpdate(key, params);
    if ('job' in outcome) return outcome.job;
    throw (
      refusalOf(key, outcome.existing, transition, outcome.error) ??
      conflict(key, transition.expectedVersion, outcome.existing, outcome.error)
    );
  }

  private async tryUpdate(
    key: Key,
    params: UpdateParams,
  ): Promise<{ job: SyncJob } | { existing: Item | undefined; error: VitalsError<'dynamodb.conditionFailed'> }> {
    try {
      return { job: this.parsed(await this.db.updateItem(key, params, this.base.tableName), key) };
    } catch (error) {
      if (!VitalsError.is(error, 'dynamodb.conditionFailed')) throw error;
      return { existing: error.details.existing_item, error };
    }
  }

  /** The job an update left behind; one that fails the schema is an error even when not strict: it was just written. */
  private parsed(raw: Item, key: Key): SyncJob {
    const job = this.base.parseOne(raw);
    if (job !== undefined) return job;
    const issues = (SyncJobSchema.safeParse(raw).error?.issues ?? []).map(
      (issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`,
    );
    throw new VitalsError('repository.invalidItem', `${ENTITY} ${JSON.stringify(key)} is invalid: ${issues.join('; ')}`, {
      entity: ENTITY,
      key,
      issues,
    });
  }
}

/** Why the stored job does not allow `transition`, or undefined when it does. */
function refusalOf(key: Key, existing: Item | undefined, transition: Transition, cause?: unknown): VitalsError | undefined {
  if (existing === undefined) return notFound(key, cause);
  if (transition.expectedVersion !== undefined && existing['version'] !== transition.expectedVersion) {
    return conflict(key, transition.expectedVersion, existing, cause);
  }
  const status = String(existing['status']);
  if (!(transition.from as readonly string[]).includes(status)) return invalidTransition(key, status, transition.to, cause);
  if (transition.owner !== undefined && existing['lease_owner'] !== transition.owner) {
    return new VitalsError(
      'repository.conflict',
      `${ENTITY} ${JSON.stringify(key)} is leased to another worker`,
      conflictDetails(key, transition.expectedVersion, existing),
      { cause },
    );
  }
  return undefined;
}

function notFound(key: Key, cause?: unknown): VitalsError<'repository.notFound'> {
  return new VitalsError(
    'repository.notFound',
    `${ENTITY} ${JSON.stringify(key)} does not exist`,
    { entity: ENTITY, key },
    { cause },
  );
}

function invalidTransition(
  key: Key,
  from: string,
  to: SyncJobStatus,
  cause?: unknown,
): VitalsError<'repository.invalidTransition'> {
  return new VitalsError(
    'repository.invalidTransition',
    `${ENTITY} ${JSON.stringify(key)} is ${from} and cannot become ${to}`,
    { entity: ENTITY, key, from, to },
    { cause },
  );
}

function conflict(
  key: Key,
  expectedVersion: number | undefined,
  existing: Item | undefined,
  cause?: unknown,
): VitalsError<'repository.conflict'> {
  return new VitalsError(
    'repository.conflict',
    `${ENTITY} ${JSON.stringify(key)} was changed by someone else`,
    conflictDetails(key, expectedVersion, existing),
    { cause },
  );
}

function conflictDetails(key: Key, expectedVersion: number | undefined, existing: Item | undefined) {
  const actual = existing?.['version'];
  return {
    entity: ENTITY,
    key,
    expected_version: expectedVersion,
    actual_version: typeof actual === 'number' ? actual : undefined,
  };
}

/** A claim lost to another worker between listing and claiming (the listing is eventually consistent). */
function isLostRace(error: unknown): boolean {
  return VitalsError.is(error, 'repository.notFound') || VitalsError.is(error, 'repository.invalidTransition');
}

function versionClause(expectedVersion: number | undefined): string {
  return expectedVersion === undefined ? '' : ' AND #version = :expected_version';
}

/**
 * Update parameters whose attribute names are the `#name` tokens of the
 * expressions (attribute names are snake_case identifiers), and whose
 * values are those of `values` the expressions use: DynamoDB rejects unused ones.
 */
function updateParams(update: string, condition: string, values: Record<string, unknown>): UpdateParams {
  const text = `${update} ${condition}`;
  const used = new Set(text.match(/:\w+/g) ?? []);
  return {
    updateExpression: update,
    conditionExpression: condition,
    expressionAttributeNames: Object.fromEntries([...new Set(text.match(/#\w+/g) ?? [])].map((token) => [token, token.slice(1)])),
    expressionAttributeValues: Object.fromEntries(Object.entries(values).filter(([token]) => used.has(token))),
  };
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
