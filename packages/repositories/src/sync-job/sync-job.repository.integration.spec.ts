import type { VitalsError, VitalsErrorCode } from '@vitals/dynamodb-core';
import type { SyncJob, SyncJobStatus } from '@vitals/models';
import type { Container } from 'inversify';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { SyncJobRepository } from './sync-job.repository.ts';

const T0 = '2026-04-01T12:00:00.000Z';
const MINUTE = 60_000;
const LEASE = 5 * MINUTE;
const RETENTION_DAYS = 7;
const UNKNOWN_JOB = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1_000);
const input = (overrides: Record<string, unknown> = {}) => ({
  provider: 'dexcom',
  window_start: '2026-03-31T12:00:00.000Z',
  window_end: '2026-04-01T12:00:00.000Z',
  ...overrides,
});

/** The rejection of `promise`; fails the test when it resolves. */
async function rejectionOf<C extends VitalsErrorCode>(promise: Promise<unknown>, code: C): Promise<VitalsError<C>> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected ${code}, but it resolved with ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toMatchObject({ code });
  return outcome.error as VitalsError<C>;
}

describe(SyncJobRepository.name, () => {
  let container: Container;
  let repository: SyncJobRepository;
  let clock: ReturnType<typeof manualClock>;

  /** A repository over tables of its own, so due-job listings see only this test's jobs. */
  async function setUp(overrides: Partial<RepositorySettings> = { sync_job_retention_days: RETENTION_DAYS }) {
    const own = manualClock(T0);
    const built = await testContainer(overrides, { clock: own });
    // The package's module may not bind the repository yet; bind it here only then, never twice.
    if (!built.container.isBound(SyncJobRepository)) built.container.bind(SyncJobRepository).toSelf().inSingletonScope();
    return { container: built.container, clock: own, repository: built.container.get(SyncJobRepository) };
  }

  beforeEach(async () => {
    ({ container, clock, repository } = await setUp());
  });
  afterEach(() => container.unbindAll());

  const now = () => clock.now().toISOString();

  /** A job of `user-1` brought to `status` through the repository, leased to `worker-a` while running. */
  async function jobIn(status: SyncJobStatus, overrides: Record<string, unknown> = {}): Promise<SyncJob> {
    const created = await repository.create('user-1', input({ ...(status === 'failed' ? { max_attempts: 1 } : {}), ...overrides }));
    if (status === 'pending') return created;
    if (status === 'cancelled') return repository.cancel(created.job_id);
    const running = await repository.claim(created.job_id, 'worker-a', LEASE);
    if (running === undefined) throw new Error('setup: the new job could not be claimed');
    if (status === 'running') return running;
    if (status === 'completed') return repository.complete(created.job_id, 'worker-a', 12);
    return repository.fail(created.job_id, 'worker-a', 'setup failure');
  }

  describe('.create', () => {
    it('when the input is valid, stores a pending job with server fields and returns it', async () => {
      const job = await repository.create('user-1', input());
      expect(job).toEqual({
        job_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        user_id: 'user-1',
        provider: 'dexcom',
        status: 'pending',
        scheduled_at: T0,
        window_start: '2026-03-31T12:00:00.000Z',
        window_end: '2026-04-01T12:00:00.000Z',
        attempts: 0,
        max_attempts: 3,
        records_synced: 0,
        created_at: T0,
        updated_at: T0,
        version: 1,
      });
      expect(await repository.get(job.job_id)).toEqual(job);
    });

    it('when scheduled_at and max_attempts are given, keeps them, and every job gets its own id', async () => {
      const later = plus(T0, 30 * MINUTE);
      const [a, b] = await Promise.all([
        repository.create('user-1', input({ scheduled_at: later, max_attempts: 5 })),
        repository.create('user-1', input()),
      ]);
      expect(a).toMatchObject({ scheduled_at: later, max_attempts: 5 });
      expect(a?.job_id).not.toBe(b?.job_id);
    });

    it('when the input is invalid, rejects with a path per problem and stores nothing', async () => {
      const error = await rejectionOf(
        repository.create('user-1', { ...input({ window_end: '2026-03-30T00:00:00.000Z' }), status: 'running' }),
        'repository.invalidInput',
      );
      expect(error.details.issues.map((issue) => issue.path).sort()).toEqual(['(input)', 'window_end']);
      const reversed = await rejectionOf(
        repository.create('user-1', input({ window_end: '2026-03-30T00:00:00.000Z', max_attempts: 0 })),
        'repository.invalidInput',
      );
      expect(reversed.details.issues.map((issue) => issue.path).sort()).toEqual(['max_attempts', 'window_end']);
      await rejectionOf(repository.create('', input()), 'repository.invalidInput');
      expect((await repository.listByUser('user-1')).items).toEqual([]);
    });
  });

  describe('.get', () => {
    it('when the job does not exist, resolves undefined', async () => {
      expect(await repository.get(UNKNOWN_JOB)).toBeUndefined();
    });

    it('when the id is not a UUID, rejects with invalidInput naming job_id', async () => {
      const error = await rejectionOf(repository.get('job-1'), 'repository.invalidInput');
      expect(error.details.issues).toEqual([{ path: 'job_id', message: expect.any(String) }]);
    });
  });

  describe('.claim', () => {
    it('when the job is due, leases it to the owner: running, attempt 1, version 2', async () => {
      const job = await jobIn('pending');
      clock.advance(1_000);
      const claimed = await repository.claim(job.job_id, 'worker-a', LEASE);
      expect(claimed).toEqual({
        ...job,
        status: 'running',
        attempts: 1,
        lease_owner: 'worker-a',
        lease_expires_at: plus(now(), LEASE),
        started_at: now(),
        updated_at: now(),
        version: 2,
      });
      expect(await repository.get(job.job_id)).toEqual(claimed);
    });

    it('when the job is not due yet, resolves undefined and leaves it untouched', async () => {
      const job = await jobIn('pending', { scheduled_at: plus(T0, 1) });
      expect(await repository.claim(job.job_id, 'worker-a', LEASE)).toBeUndefined();
      expect(await repository.get(job.job_id)).toEqual(job);
    });

    it('when another owner holds a live lease, resolves undefined and the lease stays theirs', async () => {
      const running = await jobIn('running');
      clock.advance(LEASE); // the lease is still valid at its expiry instant
      expect(await repository.claim(running.job_id, 'worker-b', LEASE)).toBeUndefined();
      expect(await repository.claim(running.job_id, 'worker-a', LEASE)).toBeUndefined();
      expect(await repository.get(running.job_id)).toEqual(running);
    });

    it('when the lease has expired, another owner reclaims it: attempt 2, started_at kept', async () => {
      const running = await jobIn('running');
      clock.advance(LEASE + 1);
      const reclaimed = await repository.claim(running.job_id, 'worker-b', 2 * LEASE);
      expect(reclaimed).toMatchObject({
        status: 'running',
        attempts: 2,
        lease_owner: 'worker-b',
        lease_expires_at: plus(now(), 2 * LEASE),
        started_at: T0,
        version: 3,
      });
      await rejectionOf(repository.heartbeat(running.job_id, 'worker-a', LEASE), 'repository.conflict');
      await rejectionOf(repository.complete(running.job_id, 'worker-a', 1), 'repository.conflict');
      expect(await repository.get(running.job_id)).toEqual(reclaimed);
    });

    it('when the expired lease was the last attempt, marks the job failed instead of running it again', async () => {
      const running = await jobIn('running', { max_attempts: 1 });
      clock.advance(LEASE + 1);
      expect(await repository.claim(running.job_id, 'worker-b', LEASE)).toBeUndefined();
      const stored = await repository.get(running.job_id);
      expect(stored).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: expect.stringContaining('lease expired'),
        completed_at: now(),
        expires_at: epochSeconds(now()) + RETENTION_DAYS * 86_400,
        version: 3,
      });
      expect(stored).not.toHaveProperty('lease_owner');
      expect(stored).not.toHaveProperty('lease_expires_at');
    });

    it.each(['completed', 'failed', 'cancelled'] as const)(
      'when the job is %s, rejects with invalidTransition to running and changes nothing',
      async (status) => {
        const job = await jobIn(status);
        clock.advance(LEASE + 1);
        const error = await rejectionOf(repository.claim(job.job_id, 'worker-b', LEASE), 'repository.invalidTransition');
        expect(error.details).toEqual({ entity: 'SyncJob', key: { job_id: job.job_id }, from: status, to: 'running' });
        expect(await repository.get(job.job_id)).toEqual(job);
      },
    );

    it('when two owners claim one due job at once, exactly one gets it', async () => {
      const job = await jobIn('pending');
      const results = await Promise.all(['worker-a', 'worker-b'].map((owner) => repository.claim(job.job_id, owner, LEASE)));
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(await repository.get(job.job_id)).toMatchObject({ attempts: 1, version: 2, lease_owner: winners[0]?.lease_owner });
    });

    it('when the owner or lease is invalid, rejects with invalidInput naming each', async () => {
      const job = await jobIn('pending');
      const error = await rejectionOf(repository.claim(job.job_id, '', 0), 'repository.invalidInput');
      expect(error.details.issues.map((issue) => issue.path)).toEqual(['owner', 'lease_ms']);
      await rejectionOf(repository.claim(job.job_id, 'worker-a', 1.5), 'repository.invalidInput');
      expect(await repository.get(job.job_id)).toEqual(job);
    });
  });

  describe('.heartbeat', () => {
    it("when the owner heartbeats, extends the lease from now and bumps the version", async () => {
      const running = await jobIn('running');
      clock.advance(MINUTE);
      const extended = await repository.heartbeat(running.job_id, 'worker-a', LEASE);
      expect(extended).toEqual({ ...running, lease_expires_at: plus(now(), LEASE), updated_at: now(), version: 3 });
      clock.advance(LEASE - 1); // past the first lease, within the extended one
      expect(await repository.claim(running.job_id, 'worker-b', LEASE)).toBeUndefined();
    });

    it('when the lease expired but nobody reclaimed the job, the owner may still extend it', async () => {
      const running = await jobIn('running');
      clock.advance(2 * LEASE);
      expect(await repository.heartbeat(running.job_id, 'worker-a', LEASE)).toMatchObject({
        lease_owner: 'worker-a',
        lease_expires_at: plus(now(), LEASE),
      });
    });

    it('when a non-owner heartbeats, rejects with conflict and the lease is unchanged', async () => {
      const running = await jobIn('running');
      const error = await rejectionOf(repository.heartbeat(running.job_id, 'worker-b', LEASE), 'repository.conflict');
      expect(error.details).toMatchObject({ key: { job_id: running.job_id }, actual_version: 2 });
      expect(await repository.get(running.job_id)).toEqual(running);
    });

    it('when the job was cancelled while running, tells the worker with invalidTransition from cancelled', async () => {
      const running = await jobIn('running');
      await repository.cancel(running.job_id);
      const error = await rejectionOf(repository.heartbeat(running.job_id, 'worker-a', LEASE), 'repository.invalidTransition');
      expect(error.details).toMatchObject({ from: 'cancelled', to: 'running' });
    });

    it('when the job was never claimed, rejects with invalidTransition from pending', async () => {
      const job = await jobIn('pending');
      const error = await rejectionOf(repository.heartbeat(job.job_id, 'worker-a', LEASE), 'repository.invalidTransition');
      expect(error.details).toMatchObject({ from: 'pending', to: 'running' });
    });

    it('when expectedVersion is stale, rejects with conflict naming both versions', async () => {
      const running = await jobIn('running');
      await repository.heartbeat(running.job_id, 'worker-a', LEASE, { expectedVersion: 2 });
      const error = await rejectionOf(
        repository.heartbeat(running.job_id, 'worker-a', LEASE, { expectedVersion: 2 }),
        'repository.conflict',
      );
      expect(error.details).toMatchObject({ expected_version: 2, actual_version: 3 });
      const invalid = await rejectionOf(
        repository.heartbeat(running.job_id, 'worker-a', LEASE, { expectedVersion: 0 }),
        'repository.invalidInput',
      );
      expect(invalid.details.issues.map((issue) => issue.path)).toEqual(['options.expectedVersion']);
    });
  });

  describe('.complete', () => {
    it('when the owner completes, records what was synced, releases the lease and sets the TTL', async () => {
      const running = await jobIn('running');
      clock.advance(3 * MINUTE);
      const completed = await repository.complete(running.job_id, 'worker-a', 288);
      const { lease_owner: _owner, lease_expires_at: _until, ...rest } = running;
      expect(completed).toEqual({
        ...rest,
        status: 'completed',
        records_synced: 288,
        completed_at: now(),
        updated_at: now(),
        expires_at: epochSeconds(now()) + RETENTION_DAYS * 86_400,
        version: 3,
      });
      expect(await repository.get(running.job_id)).toEqual(completed);
    });

    it('when no retention is configured, a finished job has no expires_at', async () => {
      await container.unbindAll();
      ({ container, clock, repository } = await setUp({}));
      const completed = await repository.complete((await jobIn('running')).job_id, 'worker-a', 1);
      expect(completed.status).toBe('completed');
      expect(completed).not.toHaveProperty('expires_at');
    });

    it('when a non-owner completes, rejects with conflict and the job keeps running', async () => {
      const running = await jobIn('running');
      await rejectionOf(repository.complete(running.job_id, 'worker-b', 5), 'repository.conflict');
      expect(await repository.get(running.job_id)).toEqual(running);
    });

    it.each([
      ['pending', 'pending'],
      ['completed', 'completed'],
      ['cancelled', 'cancelled'],
    ] as const)('when the job is %s, rejects with invalidTransition and changes nothing', async (status, from) => {
      const job = await jobIn(status);
      const error = await rejectionOf(repository.complete(job.job_id, 'worker-a', 5), 'repository.invalidTransition');
      expect(error.details).toMatchObject({ from, to: 'completed' });
      expect(await repository.get(job.job_id)).toEqual(job);
    });

    it('when records_synced is not a count, rejects with invalidInput', async () => {
      const running = await jobIn('running');
      const error = await rejectionOf(repository.complete(running.job_id, 'worker-a', -1), 'repository.invalidInput');
      expect(error.details.issues.map((issue) => issue.path)).toEqual(['records_synced']);
      expect(await repository.get(running.job_id)).toEqual(running);
    });
  });

  describe('.fail', () => {
    it('retries with backoff (1 min, then 2 min) until max_attempts, then fails for good', async () => {
      const job = await jobIn('pending', { max_attempts: 3 });

      await repository.claim(job.job_id, 'worker-a', LEASE);
      clock.advance(10_000);
      const first = await repository.fail(job.job_id, 'worker-a', 'HTTP 503 from provider');
      expect(first).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: 'HTTP 503 from provider',
        scheduled_at: plus(now(), MINUTE),
        version: 3,
      });
      for (const absent of ['lease_owner', 'lease_expires_at', 'completed_at', 'expires_at']) {
        expect(first).not.toHaveProperty(absent);
      }

      clock.advance(MINUTE - 1);
      expect(await repository.claim(job.job_id, 'worker-b', LEASE)).toBeUndefined();
      expect((await repository.listDue(now())).items).toEqual([]);
      clock.advance(1);
      expect((await repository.listDue(now())).items.map((due) => due.job_id)).toEqual([job.job_id]);
      expect(await repository.claim(job.job_id, 'worker-b', LEASE)).toMatchObject({ attempts: 2, lease_owner: 'worker-b' });
      const second = await repository.fail(job.job_id, 'worker-b', 'timeout');
      expect(second).toMatchObject({
        status: 'pending',
        attempts: 2,
        last_error: 'timeout',
        scheduled_at: plus(now(), 2 * MINUTE),
      });

      clock.advance(2 * MINUTE);
      await repository.claim(job.job_id, 'worker-c', LEASE);
      const last = await repository.fail(job.job_id, 'worker-c', 'token revoked');
      expect(last).toMatchObject({
        status: 'failed',
        attempts: 3,
        last_error: 'token revoked',
        scheduled_at: second.scheduled_at,
        completed_at: now(),
        expires_at: epochSeconds(now()) + RETENTION_DAYS * 86_400,
        version: 7,
      });
      expect(last).not.toHaveProperty('lease_owner');
      expect(await repository.get(job.job_id)).toEqual(last);
      clock.advance(60 * MINUTE);
      await rejectionOf(repository.claim(job.job_id, 'worker-d', LEASE), 'repository.invalidTransition');
    });

    it('when the error is longer than 4,096 characters, keeps its first 4,096', async () => {
      const running = await jobIn('running');
      const failed = await repository.fail(running.job_id, 'worker-a', `${'x'.repeat(4_096)}tail`);
      expect(failed.last_error).toBe('x'.repeat(4_096));
    });

    it('when a non-owner fails the job, rejects with conflict and the job keeps running', async () => {
      const running = await jobIn('running');
      await rejectionOf(repository.fail(running.job_id, 'worker-b', 'boom'), 'repository.conflict');
      expect(await repository.get(running.job_id)).toEqual(running);
    });

    it.each(['pending', 'completed', 'failed', 'cancelled'] as const)(
      'when the job is %s, rejects with invalidTransition and changes nothing',
      async (status) => {
        const job = await jobIn(status);
        const error = await rejectionOf(repository.fail(job.job_id, 'worker-a', 'boom'), 'repository.invalidTransition');
        expect(error.details).toMatchObject({ from: status, to: 'failed' });
        expect(await repository.get(job.job_id)).toEqual(job);
      },
    );
  });

  describe('.cancel', () => {
    it('when the job is pending, cancels it and sets the TTL', async () => {
      const job = await jobIn('pending');
      clock.advance(MINUTE);
      const cancelled = await repository.cancel(job.job_id);
      expect(cancelled).toEqual({
        ...job,
        status: 'cancelled',
        completed_at: now(),
        updated_at: now(),
        expires_at: epochSeconds(now()) + RETENTION_DAYS * 86_400,
        version: 2,
      });
      await rejectionOf(repository.claim(job.job_id, 'worker-a', LEASE), 'repository.invalidTransition');
    });

    it('when the job is running, cancels it, releases the lease, and the worker cannot complete it', async () => {
      const running = await jobIn('running');
      const cancelled = await repository.cancel(running.job_id);
      expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1, version: 3 });
      expect(cancelled).not.toHaveProperty('lease_owner');
      const error = await rejectionOf(repository.complete(running.job_id, 'worker-a', 10), 'repository.invalidTransition');
      expect(error.details).toMatchObject({ from: 'cancelled', to: 'completed' });
    });

    it.each(['completed', 'failed', 'cancelled'] as const)(
      'when the job is %s, rejects with invalidTransition naming from and to, and changes nothing',
      async (status) => {
        const job = await jobIn(status);
        const error = await rejectionOf(repository.cancel(job.job_id), 'repository.invalidTransition');
        expect(error.details).toEqual({ entity: 'SyncJob', key: { job_id: job.job_id }, from: status, to: 'cancelled' });
        expect(await repository.get(job.job_id)).toEqual(job);
      },
    );
  });

  describe('every change', () => {
    const changes = {
      claim: (id: string) => repository.claim(id, 'worker-a', LEASE),
      heartbeat: (id: string) => repository.heartbeat(id, 'worker-a', LEASE),
      complete: (id: string) => repository.complete(id, 'worker-a', 1),
      fail: (id: string) => repository.fail(id, 'worker-a', 'boom'),
      cancel: (id: string) => repository.cancel(id),
    };

    it.each(Object.keys(changes) as (keyof typeof changes)[])('.%s of a job that does not exist rejects with notFound', async (name) => {
      const error = await rejectionOf(changes[name](UNKNOWN_JOB), 'repository.notFound');
      expect(error.details).toEqual({ entity: 'SyncJob', key: { job_id: UNKNOWN_JOB } });
      expect(await repository.get(UNKNOWN_JOB)).toBeUndefined();
    });

    it.each(Object.keys(changes) as (keyof typeof changes)[])('.%s of a malformed id rejects with invalidInput', async (name) => {
      await rejectionOf(changes[name]('not-a-uuid'), 'repository.invalidInput');
    });
  });

  describe('concurrent updates of one job', () => {
    it('two cancels holding the same version: one succeeds, the other gets conflict', async () => {
      const job = await jobIn('pending');
      const results = await Promise.allSettled([
        repository.cancel(job.job_id, { expectedVersion: 1 }),
        repository.cancel(job.job_id, { expectedVersion: 1 }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejected.map((result) => result.reason)).toEqual([
        expect.objectContaining({ code: 'repository.conflict', details: expect.objectContaining({ expected_version: 1, actual_version: 2 }) }),
      ]);
      expect(await repository.get(job.job_id)).toMatchObject({ status: 'cancelled', version: 2 });
    });

    it('complete racing cancel: one wins, the other is told the status it lost to', async () => {
      const running = await jobIn('running');
      const results = await Promise.allSettled([
        repository.complete(running.job_id, 'worker-a', 3),
        repository.cancel(running.job_id),
      ]);
      const fulfilled = results.filter((result): result is PromiseFulfilledResult<SyncJob> => result.status === 'fulfilled');
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const winner = fulfilled[0]?.value.status;
      expect(rejected[0]?.reason).toMatchObject({
        code: 'repository.invalidTransition',
        details: { from: winner, to: winner === 'completed' ? 'cancelled' : 'completed' },
      });
      expect(await repository.get(running.job_id)).toMatchObject({ status: winner, version: 3 });
    });
  });

  describe('.listByUser', () => {
    it('pages through one user’s jobs by scheduled_at, in either order', async () => {
      const offsets = [5, 1, 6, 0, 3, 2, 4];
      for (const i of offsets) await repository.create('user-pages', input({ scheduled_at: plus(T0, i * MINUTE) }));
      await repository.create('user-other', input({ scheduled_at: plus(T0, 2 * MINUTE) }));
      const expected = [0, 1, 2, 3, 4, 5, 6].map((i) => plus(T0, i * MINUTE));

      for (const order of ['asc', 'desc'] as const) {
        const sizes: number[] = [];
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await repository.listByUser('user-pages', { limit: 3, cursor }, { order });
          sizes.push(page.items.length);
          seen.push(...page.items.map((job) => job.scheduled_at));
          expect(page.items.every((job) => job.user_id === 'user-pages')).toBe(true);
          cursor = page.next_cursor;
        } while (cursor !== null);
        expect(sizes).toEqual([3, 3, 1]);
        expect(seen).toEqual(order === 'asc' ? expected : [...expected].reverse());
      }
    });

    it("rejects another user's cursor", async () => {
      for (let i = 0; i < 3; i++) await repository.create('user-pages', input({ scheduled_at: plus(T0, i * MINUTE) }));
      const { next_cursor } = await repository.listByUser('user-pages', { limit: 1 });
      await expect(repository.listByUser('user-other', { cursor: next_cursor })).rejects.toMatchObject({
        code: 'repository.invalidCursor',
        details: { reason: 'foreign' },
      });
    });
  });

  describe('.listDue', () => {
    it('lists only pending jobs scheduled at or before the instant, earliest first, page by page', async () => {
      const early = await jobIn('pending', { scheduled_at: plus(T0, -2 * MINUTE) });
      const onTime = await jobIn('pending', { scheduled_at: T0 });
      const before = await jobIn('pending', { scheduled_at: plus(T0, -MINUTE) });
      await jobIn('pending', { scheduled_at: plus(T0, 1) });
      await jobIn('running', { scheduled_at: plus(T0, -3 * MINUTE) });
      await jobIn('cancelled', { scheduled_at: plus(T0, -4 * MINUTE) });
      await jobIn('completed', { scheduled_at: plus(T0, -5 * MINUTE) });

      const first = await repository.listDue(T0, { limit: 2 });
      expect(first.items.map((job) => job.job_id)).toEqual([early.job_id, before.job_id]);
      const second = await repository.listDue(T0, { limit: 2, cursor: first.next_cursor });
      expect(second.items.map((job) => job.job_id)).toEqual([onTime.job_id]);
      expect(second.next_cursor).toBeNull();
      await expect(repository.listDue(plus(T0, 1), { cursor: first.next_cursor })).rejects.toMatchObject({
        code: 'repository.invalidCursor',
      });
    });

    it('when the instant is not an ISO instant, rejects with invalidInput', async () => {
      await rejectionOf(repository.listDue('2026-04-01'), 'repository.invalidInput');
    });
  });

  describe('.listByStatus', () => {
    it('lists the jobs in one status, earliest first, up to the instant when one is given', async () => {
      const late = await jobIn('cancelled', { scheduled_at: plus(T0, MINUTE) });
      const early = await jobIn('cancelled', { scheduled_at: plus(T0, -MINUTE) });
      await jobIn('pending', { scheduled_at: plus(T0, -2 * MINUTE) });
      await jobIn('completed', { scheduled_at: plus(T0, -3 * MINUTE) });

      const every = await repository.listByStatus('cancelled');
      expect(every.items.map((job) => job.job_id)).toEqual([early.job_id, late.job_id]);
      const upToNow = await repository.listByStatus('cancelled', T0);
      expect(upToNow.items.map((job) => job.job_id)).toEqual([early.job_id]);
    });

    it('when the status is not one of the life cycle, rejects with invalidInput', async () => {
      await rejectionOf(repository.listByStatus('paused' as never), 'repository.invalidInput');
    });
  });

  describe('.listExpiredLeases', () => {
    it('lists running jobs whose lease ended before the instant, not live ones', async () => {
      const short = await repository.claim((await jobIn('pending')).job_id, 'worker-a', MINUTE);
      await repository.claim((await jobIn('pending')).job_id, 'worker-b', 10 * MINUTE);
      clock.advance(MINUTE);
      expect((await repository.listExpiredLeases(now())).items).toEqual([]);
      clock.advance(1);
      expect((await repository.listExpiredLeases(now())).items.map((job) => job.job_id)).toEqual([short?.job_id]);
      await rejectionOf(repository.listExpiredLeases('soon'), 'repository.invalidInput');
    });
  });

  describe('.claimDue', () => {
    it('claims at most limit due jobs for the owner, then the rest, and never a job not yet due', async () => {
      const due = await Promise.all([-3, -2, -1].map((m) => jobIn('pending', { scheduled_at: plus(T0, m * MINUTE) })));
      const future = await jobIn('pending', { scheduled_at: plus(T0, MINUTE) });

      const firstTwo = await repository.claimDue('worker-a', LEASE, 2);
      expect(firstTwo).toHaveLength(2);
      for (const job of firstTwo) expect(job).toMatchObject({ status: 'running', lease_owner: 'worker-a', attempts: 1 });
      expect(firstTwo.map((job) => job.scheduled_at)).toEqual([...firstTwo.map((job) => job.scheduled_at)].sort());

      const rest = await repository.claimDue('worker-b', LEASE, 5);
      expect([...firstTwo, ...rest].map((job) => job.job_id).sort()).toEqual(due.map((job) => job.job_id).sort());
      expect(await repository.claimDue('worker-c', LEASE, 5)).toEqual([]);
      expect(await repository.get(future.job_id)).toEqual(future);
    });

    it('reclaims a job whose lease expired', async () => {
      const job = await jobIn('pending');
      expect(await repository.claimDue('worker-a', LEASE, 1)).toEqual([expect.objectContaining({ job_id: job.job_id })]);
      clock.advance(LEASE);
      expect(await repository.claimDue('worker-b', LEASE, 1)).toEqual([]);
      clock.advance(1);
      const reclaimed = await repository.claimDue('worker-b', LEASE, 1);
      expect(reclaimed).toEqual([expect.objectContaining({ job_id: job.job_id, lease_owner: 'worker-b', attempts: 2 })]);
    });

    it('fails, rather than returns, a job whose last attempt’s lease expired', async () => {
      const running = await jobIn('running', { max_attempts: 1 });
      clock.advance(LEASE + 1);
      expect(await repository.claimDue('worker-b', LEASE, 1)).toEqual([]);
      expect(await repository.get(running.job_id)).toMatchObject({ status: 'failed' });
    });

    it('when limit, owner or lease is invalid, rejects with invalidInput', async () => {
      await rejectionOf(repository.claimDue('worker-a', LEASE, 0), 'repository.invalidInput');
      await rejectionOf(repository.claimDue('worker-a', LEASE, 1_001), 'repository.invalidInput');
      await rejectionOf(repository.claimDue('', LEASE, 1), 'repository.invalidInput');
      await rejectionOf(repository.claimDue('worker-a', -1, 1), 'repository.invalidInput');
    });

    it('8 concurrent claimers on 200 due jobs: every job claimed exactly once', async () => {
      const jobs = await Promise.all(
        Array.from({ length: 200 }, (_, i) => repository.create(`user-${i % 10}`, input({ scheduled_at: plus(T0, -i * 1_000) }))),
      );
      const claims = new Map<string, string[]>();
      const claimer = async (owner: string) => {
        for (;;) {
          const won = await repository.claimDue(owner, LEASE, 10);
          if (won.length === 0) return;
          for (const job of won) claims.set(job.job_id, [...(claims.get(job.job_id) ?? []), owner]);
        }
      };

      await Promise.all(Array.from({ length: 8 }, (_, i) => claimer(`worker-${i}`)));

      expect([...claims.keys()].sort()).toEqual(jobs.map((job) => job.job_id).sort());
      expect([...claims.entries()].filter(([, owners]) => owners.length !== 1)).toEqual([]);
      const stored = await Promise.all(jobs.map((job) => repository.get(job.job_id)));
      for (const job of stored) {
        expect(job).toMatchObject({ status: 'running', attempts: 1, version: 2, lease_owner: claims.get(job?.job_id ?? '')?.[0] });
      }
      expect((await repository.listDue(now())).items).toEqual([]);
    });
  });
});
