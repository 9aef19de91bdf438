import type { SyncJobStatus } from '@vitals/models';
import type { Container } from 'inversify';
import type { manualClock } from '../test-support/dynamodb-local.ts';
import { MINUTE, T0, input, jobInStatus, plus, rejectionOf, setUp } from '../test-support/sync-jobs.ts';
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
});
