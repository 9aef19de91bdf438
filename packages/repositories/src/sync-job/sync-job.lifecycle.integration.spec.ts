import type { SyncJob, SyncJobStatus } from '@vitals/models';
import type { Container } from 'inversify';
import type { manualClock } from '../test-support/dynamodb-local.ts';
import {
  LEASE,
  MINUTE,
  RETENTION_DAYS,
  UNKNOWN_JOB,
  epochSeconds,
  jobInStatus,
  plus,
  rejectionOf,
  setUp,
} from '../test-support/sync-jobs.ts';
import { SyncJobRepository } from './sync-job.repository.ts';

describe(SyncJobRepository.name, () => {
  let container: Container;
  let repository: SyncJobRepository;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    ({ container, clock, repository } = await setUp());
  });
  afterEach(() => container.unbindAll());

  const now = () => clock.now().toISOString();

  /** A job of `user-1` brought to `status` through the repository, leased to `worker-a` while running. */
  const jobIn = (status: SyncJobStatus, overrides: Record<string, unknown> = {}) => jobInStatus(repository, status, overrides);

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
});
