import type { SyncJobStatus } from '@vitals/models';
import type { Container } from 'inversify';
import type { manualClock } from '../test-support/dynamodb-local.ts';
import {
  LEASE,
  MINUTE,
  RETENTION_DAYS,
  T0,
  epochSeconds,
  input,
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
