import { DYNAMODB_CORE_TOKENS, type Item, type Key, type Logger, type UpdateParams, type VitalsError } from '@vitals/dynamodb-core';
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
import { validInput, validKey } from '../base/validate.ts';
import { invalidInput, invalidItem, schemaIssues } from '../errors/repository-errors.ts';
import { REPOSITORY_TOKENS, type Clock, type RepositorySettings } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { MAX_PAGE_LIMIT, type Page, type PageRequest } from '../store/store-types.ts';
import { EntityStores } from '../store/entity-stores.ts';
import type { DueJobCandidates } from './due-job-candidates.ts';
import {
  SYNC_JOB_MAX_LEASE_MS,
  cancelWrite,
  claimUpdate,
  completeWrite,
  expireUpdate,
  failWrite,
  failedClaim,
  failedUpdate,
  heartbeatWrite,
  claimLanded,
  isLostClaim,
  refusalOf,
  type SyncJobWrite,
} from './sync-job.transitions.ts';

const ENTITY = syncJobEntity.name;
const byUser = syncJobEntity.indexes['user_id-scheduled_at-index'];

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

export interface ClaimDueOptions {
  /** Whether to look for `running` jobs whose lease expired first; default true. */
  expiredLeases?: boolean;
  /** Due jobs kept between this caller's calls (see `DueJobCandidates`). */
  candidates?: DueJobCandidates;
}

export interface SyncJobListOptions {
  /** By `scheduled_at`; default ascending (earliest first). */
  order?: 'asc' | 'desc';
}

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
 * `sync_job_retention_days`. The updates, their conditions and the reading
 * of a refusal are decided in `sync-job.transitions.ts`; this class does the I/O.
 */
@injectable()
export class SyncJobRepository {
  private readonly store: EntityStore<SyncJob, 'status-scheduled_at-index' | 'user_id-scheduled_at-index'>;
  private readonly log: Logger;

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.log = logger.child({ component: 'SyncJobRepository' });
    this.store = stores.for(syncJobEntity, { component: 'SyncJobRepository' });
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
    await this.store.putVersioned(job, 'new');
    this.log.info({ job_id: job.job_id, provider: job.provider, scheduled_at: job.scheduled_at }, 'sync job created');
    return job;
  }

  /** The job as stored now (a strongly consistent read), or undefined. */
  async get(jobId: string): Promise<SyncJob | undefined> {
    return this.store.get(this.key(jobId), { consistentRead: true });
  }

  /** One page of a user's jobs by `scheduled_at`. */
  async listByUser(userId: string, page: PageRequest = {}, options: SyncJobListOptions = {}): Promise<Page<SyncJob>> {
    return this.store.queryPage({ index: 'user_id-scheduled_at-index', partition: userId, descending: options.order === 'desc' }, page);
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
    const sort = scheduledBy === undefined ? undefined : { lte: scheduledBy };
    return this.store.queryPage({ index: 'status-scheduled_at-index', partition: status, sort }, page);
  }

  /**
   * One page of `running` jobs whose lease expired before `now`: jobs whose
   * worker stopped reporting, which `claim` may take over.
   */
  async listExpiredLeases(now: string, page: PageRequest = {}): Promise<Page<SyncJob>> {
    const at = validInput(IsoInstantSchema, now, ENTITY, 'now');
    const filter = { expression: '#lease_expires_at < :now', names: { '#lease_expires_at': 'lease_expires_at' }, values: { ':now': at } };
    return this.store.queryPage({ index: 'status-scheduled_at-index', partition: 'running', filter }, page);
  }

  /**
   * Leases one job to `owner` for `leaseMs`, in one conditional update: a
   * `pending` job that is due, or a `running` one whose lease has expired.
   * The job becomes `running`, `attempts` + 1.
   *
   * Resolves `undefined` when the job is not claimable now — not due yet, or
   * held under a live lease (also by `owner`: extend with `heartbeat`). A
   * retry that finds this very claim's write (its first attempt landed, the
   * answer was lost) resolves the job: it is `owner`'s.
   * Workers race for jobs by design, so losing is not an error. A job whose
   * expired lease was its last attempt is marked `failed` instead.
   * Rejects with `repository.notFound`, or `repository.invalidTransition`
   * for a finished job.
   */
  async claim(jobId: string, owner: string, leaseMs: number): Promise<SyncJob | undefined> {
    const key = this.key(jobId);
    this.validLease(owner, leaseMs);
    const now = this.clock.now();
    const outcome = await this.tryUpdate(key, claimUpdate(owner, leaseMs, now));
    if ('job' in outcome || claimLanded(outcome.existing, owner, now)) {
      const job = 'job' in outcome ? outcome.job : this.parsed(outcome.existing as Item, key);
      this.log.info({ job_id: jobId, attempts: job.attempts, lease_owner: owner }, 'sync job claimed');
      return job;
    }

    const failed = failedClaim(key, outcome.existing, now, outcome.error);
    if ('refusal' in failed) throw failed.refusal;
    if (failed.exhausted) await this.failExhausted(key, outcome.existing as Item, now);
    this.log.debug({ job_id: jobId, status: failed.status }, 'sync job not claimed');
    return undefined;
  }

  /**
   * Claims up to `limit` jobs for `owner`: first `running` jobs whose lease
   * expired, then due `pending` jobs, earliest first within a window of
   * candidates tried in random order (so racing workers collide less).
   * Resolves with the jobs this owner won, by `scheduled_at`; `[]` when
   * nothing is claimable. Jobs listed but lost to another worker are skipped.
   *
   * Any other failure (e.g. `dynamodb.unavailable`) ends the claiming: the
   * jobs won before it are returned (they are leased to `owner` already), and
   * when there are none the call rejects with that failure.
   *
   * `expiredLeases: false` skips the expired leases: their query reads every
   * `running` job and keeps the expired ones, so a caller that claims often
   * (the sync worker, once per finished job) looks for them less often.
   * `candidates` keeps due jobs listed but not needed for the caller's next
   * calls, which try them before listing again (`DueJobCandidates`).
   */
  async claimDue(owner: string, leaseMs: number, limit = 1, options: ClaimDueOptions = {}): Promise<SyncJob[]> {
    this.validLease(owner, leaseMs);
    validInput(z.number().int().min(1).max(MAX_PAGE_LIMIT), limit, ENTITY, 'limit');
    const now = this.clock.now().toISOString();
    const won: SyncJob[] = [];
    try {
      if (options.expiredLeases !== false) await this.claimFrom((page) => this.listExpiredLeases(now, page), owner, leaseMs, limit, won);
      await this.claimFrom((page) => this.listDue(now, page), owner, leaseMs, limit, won, options.candidates);
    } catch (error) {
      // Jobs already won are leased to `owner`: returned, they run now; thrown away, they would idle until their lease lapsed.
      if (won.length === 0) throw error;
      this.log.warn(
        { lease_owner: owner, claimed: won.map((job) => job.job_id), error: error instanceof Error ? error.message : String(error) },
        'claimDue stopped at a failure; returning the jobs it had won',
      );
    }
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
    return this.update(key, heartbeatWrite(owner, leaseMs, this.clock.now(), expectedVersion));
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
    const job = await this.update(key, completeWrite(owner, recordsSynced, this.clock.now(), this.retentionDays, expectedVersion));
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

    // The backoff depends on `attempts`, which an update expression cannot branch on: read, then
    // update on condition that attempts and owner are still what was read.
    const current = await this.store.getRaw(key, { consistentRead: true });
    const refusal = refusalOf(key, current, { change: 'fail', owner, expectedVersion });
    if (refusal !== undefined) throw refusal;
    const job = this.parsed(current as Item, key);

    const write = failWrite(job, owner, error, this.clock.now(), this.retentionDays, { expectedVersion });
    const updated = await this.update(key, write);
    this.log.info(
      {
        job_id: jobId,
        status: updated.status,
        attempts: updated.attempts,
        max_attempts: updated.max_attempts,
        scheduled_at: updated.scheduled_at,
      },
      write.retry ? 'sync job attempt failed, retry scheduled' : 'sync job failed',
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
    const job = await this.update(key, cancelWrite(this.clock.now(), this.retentionDays, expectedVersion));
    this.log.info({ job_id: jobId }, 'sync job cancelled');
    return job;
  }

  // ── internals ────────────────────────────────────────────────────────

  private key(jobId: string): { job_id: string } {
    return this.store.key({ job_id: jobId });
  }

  private validLease(owner: string, leaseMs: number): void {
    validInput(LeaseSchema, { owner, lease_ms: leaseMs }, ENTITY);
  }

  private validOptions(options: SyncJobWriteOptions): SyncJobWriteOptions {
    return validInput(WriteOptionsSchema, options, ENTITY, 'options');
  }

  private get retentionDays(): number | undefined {
    return this.settings.sync_job_retention_days;
  }

  /**
   * Tries the candidates kept from an earlier listing, then candidates listed
   * page by page, until `won` holds `limit` jobs or the listing ends. A
   * listing's untried candidates are kept in `kept`, unless one of it was
   * lost (other workers are claiming from the same listing).
   */
  private async claimFrom(
    list: (page: PageRequest) => Promise<Page<SyncJob>>,
    owner: string,
    leaseMs: number,
    limit: number,
    won: SyncJob[],
    kept?: DueJobCandidates,
  ): Promise<void> {
    // Only as many kept candidates as are wanted: one lost leaves the call short, and the listing below replaces the rest.
    if (kept !== undefined) await this.claimAmong(kept.take(limit - won.length, this.clock.now().getTime()), owner, leaseMs, limit, won);
    let cursor: string | null = null;
    while (won.length < limit) {
      const wanted = (limit - won.length) * CANDIDATES_PER_WANTED_JOB;
      const page: Page<SyncJob> = await list({ limit: Math.min(MAX_PAGE_LIMIT, Math.max(wanted, kept?.size ?? 0)), cursor });
      kept?.listed(page.items);
      const candidates = shuffled(page.items);
      const lost = await this.claimAmong(candidates, owner, leaseMs, limit, won);
      if (lost) kept?.discard();
      else kept?.keep(candidates, this.clock.now().getTime());
      cursor = page.next_cursor;
      if (cursor === null) return;
    }
  }

  /**
   * Claims `candidates` in order (removing those tried) until `won` holds
   * `limit` jobs; resolves true when one was lost to another worker.
   */
  private async claimAmong(candidates: SyncJob[], owner: string, leaseMs: number, limit: number, won: SyncJob[]): Promise<boolean> {
    let lost = false;
    while (won.length < limit && candidates.length > 0) {
      const batch = candidates.splice(0, limit - won.length);
      const results = await Promise.allSettled(batch.map((job) => this.claim(job.job_id, owner, leaseMs)));
      for (const result of results) {
        if (result.status === 'fulfilled' && result.value !== undefined) won.push(result.value);
        else lost = true;
      }
      const failure = results.find((result) => result.status === 'rejected' && !isLostClaim(result.reason));
      if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
    }
    return lost;
  }

  /** A job left claimable with no attempts left (its last lease expired) is failed, not run again. */
  private async failExhausted(key: Key, existing: Item, now: Date): Promise<void> {
    const outcome = await this.tryUpdate(key, expireUpdate(existing, now, this.retentionDays));
    // A lost condition means someone else changed the job first; whatever they did stands.
    if ('job' in outcome) {
      this.log.info({ job_id: key['job_id'], attempts: outcome.job.attempts }, 'sync job failed: lease expired on its last attempt');
    }
  }

  /** An update whose failed condition is explained by the stored job. */
  private async update(key: Key, write: SyncJobWrite): Promise<SyncJob> {
    const outcome = await this.tryUpdate(key, write.update);
    if ('job' in outcome) return outcome.job;
    throw failedUpdate(key, outcome.existing, write.requires, outcome.error);
  }

  private async tryUpdate(
    key: Key,
    params: UpdateParams,
  ): Promise<{ job: SyncJob } | { existing: Item | undefined; error: VitalsError<'dynamodb.conditionFailed'> }> {
    const outcome = await this.store.tryUpdate(key as { job_id: string }, params);
    return 'written' in outcome ? { job: this.parsed(outcome.written, key) } : outcome;
  }

  /** The job an update left behind; one that fails the schema is an error even when not strict: it was just written. */
  private parsed(raw: Item, key: Key): SyncJob {
    const job = this.store.parseOne(raw);
    if (job !== undefined) return job;
    throw invalidItem(ENTITY, key, schemaIssues(SyncJobSchema.safeParse(raw).error?.issues ?? []));
  }
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
