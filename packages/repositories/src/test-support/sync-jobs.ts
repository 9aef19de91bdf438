import type { VitalsError, VitalsErrorCode } from '@vitals/dynamodb-core';
import type { SyncJob, SyncJobStatus } from '@vitals/models';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { SyncJobRepository } from '../sync-job/sync-job.repository.ts';
import { manualClock, testContainer } from './dynamodb-local.ts';

/** What the sync-job integration specs share: one clock start, lease, retention and a job id nobody stores. */
export const T0 = '2026-04-01T12:00:00.000Z';
export const MINUTE = 60_000;
export const LEASE = 5 * MINUTE;
export const RETENTION_DAYS = 7;
export const UNKNOWN_JOB = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

export const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
export const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1_000);
export const input = (overrides: Record<string, unknown> = {}) => ({
  provider: 'dexcom',
  window_start: '2026-03-31T12:00:00.000Z',
  window_end: '2026-04-01T12:00:00.000Z',
  ...overrides,
});

/** The rejection of `promise`; fails the test when it resolves. */
export async function rejectionOf<C extends VitalsErrorCode>(promise: Promise<unknown>, code: C): Promise<VitalsError<C>> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected ${code}, but it resolved with ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toMatchObject({ code });
  return outcome.error as VitalsError<C>;
}

/** A repository over tables of its own, so due-job listings see only this test's jobs. */
export async function setUp(overrides: Partial<RepositorySettings> = { sync_job_retention_days: RETENTION_DAYS }) {
  const own = manualClock(T0);
  const built = await testContainer(overrides, { clock: own });
  // The package's module may not bind the repository yet; bind it here only then, never twice.
  if (!built.container.isBound(SyncJobRepository)) built.container.bind(SyncJobRepository).toSelf().inSingletonScope();
  return { container: built.container, clock: own, repository: built.container.get(SyncJobRepository) };
}

/** A job of `user-1` brought to `status` through `repository`, leased to `worker-a` while running. */
export async function jobInStatus(
  repository: SyncJobRepository,
  status: SyncJobStatus,
  overrides: Record<string, unknown> = {},
): Promise<SyncJob> {
  const created = await repository.create('user-1', input({ ...(status === 'failed' ? { max_attempts: 1 } : {}), ...overrides }));
  if (status === 'pending') return created;
  if (status === 'cancelled') return repository.cancel(created.job_id);
  const running = await repository.claim(created.job_id, 'worker-a', LEASE);
  if (running === undefined) throw new Error('setup: the new job could not be claimed');
  if (status === 'running') return running;
  if (status === 'completed') return repository.complete(created.job_id, 'worker-a', 12);
  return repository.fail(created.job_id, 'worker-a', 'setup failure');
}
