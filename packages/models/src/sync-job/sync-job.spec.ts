import { SyncJobInputSchema, SyncJobSchema, toSyncJob } from './sync-job.schema.ts';
import type { SyncJob } from './sync-job.schema.ts';

const JOB_ID = '0b6f4f3e-8d2a-4c1e-9f3a-5b7c9d1e2f30';
const job: SyncJob = {
  job_id: JOB_ID,
  user_id: 'u1',
  provider: 'dexcom',
  status: 'pending',
  scheduled_at: '2025-05-23T13:00:00.000Z',
  window_start: '2025-05-22T13:00:00.000Z',
  window_end: '2025-05-23T13:00:00.000Z',
  attempts: 0,
  max_attempts: 3,
  records_synced: 0,
  created_at: '2025-05-23T12:00:00.000Z',
  updated_at: '2025-05-23T12:00:00.000Z',
  version: 1,
};

describe('sync-job', () => {
  describe('.SyncJobSchema', () => {
    it('when the job is complete, accepts it', () => {
      expect(SyncJobSchema.parse(job)).toEqual(job);
    });

    it('when a running job carries a lease and timings, accepts it', () => {
      const running = {
        ...job,
        status: 'running',
        attempts: 1,
        lease_owner: 'worker-1',
        lease_expires_at: '2025-05-23T13:05:00.000Z',
        started_at: '2025-05-23T13:00:01.000Z',
        last_error: 'timeout',
        expires_at: 1_790_000_000,
      };
      expect(SyncJobSchema.safeParse(running).success).toBe(true);
    });

    it.each(['pending', 'running', 'completed', 'failed', 'cancelled'])('when status is %s, accepts it', (status) => {
      expect(SyncJobSchema.safeParse({ ...job, status }).success).toBe(true);
    });

    it.each([
      ['a non-UUID job_id', { ...job, job_id: 'job-1' }],
      ['an unknown status', { ...job, status: 'queued' }],
      ['negative attempts', { ...job, attempts: -1 }],
      ['attempts over max_attempts', { ...job, attempts: 4 }],
      ['a window ending before it starts', { ...job, window_end: '2025-05-21T13:00:00.000Z' }],
      ['an empty window', { ...job, window_end: job.window_start }],
      ['a lease owner without expiry', { ...job, lease_owner: 'w1' }],
      ['fractional records_synced', { ...job, records_synced: 1.5 }],
      ['a missing version', { ...job, version: undefined }],
      ['an unknown field', { ...job, priority: 1 }],
    ])('when the job has %s, rejects it', (_label, item) => {
      expect(SyncJobSchema.safeParse(item).success).toBe(false);
    });
  });

  describe('.SyncJobInputSchema', () => {
    const body = {
      provider: 'dexcom',
      window_start: '2025-05-22T13:00:00.000Z',
      window_end: '2025-05-23T13:00:00.000Z',
    };

    it('when max_attempts is left out, defaults to 3', () => {
      expect(SyncJobInputSchema.parse(body)).toEqual({ ...body, max_attempts: 3 });
    });

    it.each([
      ['job_id', { ...body, job_id: JOB_ID }],
      ['status', { ...body, status: 'running' }],
      ['attempts', { ...body, attempts: 0 }],
      ['a reversed window', { ...body, window_start: body.window_end, window_end: body.window_start }],
      ['max_attempts 0', { ...body, max_attempts: 0 }],
    ])('when the body has %s, rejects it', (_label, input) => {
      expect(SyncJobInputSchema.safeParse(input).success).toBe(false);
    });
  });

  describe('.toSyncJob', () => {
    it('when scheduled_at is left out, schedules now and starts pending at version 1', () => {
      const input = SyncJobInputSchema.parse({
        provider: 'dexcom',
        window_start: '2025-05-22T13:00:00.000Z',
        window_end: '2025-05-23T13:00:00.000Z',
      });
      const created = toSyncJob(JOB_ID, 'u1', input, new Date('2025-05-23T12:00:00.000Z'));
      expect(created).toEqual({ ...job, scheduled_at: '2025-05-23T12:00:00.000Z' });
      expect(SyncJobSchema.safeParse(created).success).toBe(true);
      expect(toSyncJob(JOB_ID, 'u1', { ...input, scheduled_at: job.scheduled_at }, new Date(0), 5).expires_at).toBe(5);
    });
  });
});
