import type { Container } from 'inversify';
import { MINUTE, T0, UNKNOWN_JOB, input, plus, rejectionOf, setUp } from '../test-support/sync-jobs.ts';
import { SyncJobRepository } from './sync-job.repository.ts';

describe(SyncJobRepository.name, () => {
  let container: Container;
  let repository: SyncJobRepository;

  beforeEach(async () => {
    ({ container, repository } = await setUp());
  });
  afterEach(() => container.unbindAll());

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
});
