import { leakedTokens } from '../test-support/leak-check.ts';
import { HOUR, MINUTE, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers, type TestWorker } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * The token going wrong: revoked, refused mid-run, a refresh lost to a
 * timeout. What becomes of the job and the connection, and that no token
 * reaches a log line, a stored record or a metric.
 */
describe('when the token goes wrong during a run', () => {
  let stage: SyncStage;
  let worker: TestWorker;
  beforeEach(async () => {
    stage = await startSyncStage({ env: { LOG_LEVEL: 'debug', SYNC_INTERVAL_MS: String(10 * MINUTE), DEXCOM_TIMEOUT_MS: '1000' } });
  });
  afterEach(async () => {
    await stopTestWorkers();
    await stage.stop();
  });

  const job = (jobId: string) => stage.job(jobId);
  const connection = (login: string) => stage.connection(login);
  const settled = (jobId: string, status: string, attempts: number) =>
    until(`the job is ${status} after ${attempts} attempt(s)`, async () => {
      const current = await job(jobId);
      return current.status === status && current.attempts === attempts && current.lease_owner === undefined;
    });
  const nearExpiry = () => stage.simClock.advance(2 * HOUR - 4 * MINUTE);

  it('when the refresh token was revoked, the job fails for good, the connection needs reauthorization and nothing more is scheduled', async () => {
    const { job: backfill } = await stage.connect('jack');
    expect(stage.sim.faults.revokeRefreshTokens({ login: 'jack' })).toBe(1);
    nearExpiry();
    worker = await startTestWorker(stage, 'w1');
    await until('the job failed', async () => (await job(backfill.job_id)).status === 'failed');
    expect(await job(backfill.job_id)).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/invalid_grant.*connect Dexcom again/) });
    const after = await connection('jack');
    expect(after).toMatchObject({ status: 'reauthorization_required', last_error: expect.stringMatching(/invalid_grant/) });
    expect(after.next_run_at).toBeUndefined();
    expect((await stage.jobsOf('jack')).filter((each) => each.status === 'pending' || each.status === 'running')).toEqual([]);

    // Hours later nothing has been claimed for the user again.
    stage.simClock.advance(3 * HOUR);
    await new Promise((done) => setTimeout(done, 500));
    expect(await metricValue(worker, 'vitals_sync_jobs_claimed_total')).toBe(1);
    expect(await metricValue(worker, 'vitals_sync_jobs_finished_total', { outcome: 'reauthorization_required' })).toBe(1);
    expect(await leakedTokens(stage, [worker], ['jack'])).toEqual([]);
  });

  it('when Dexcom refuses the access token mid-run (401), the worker refreshes once and the run completes', async () => {
    const { job: backfill } = await stage.connect('kate');
    expect(stage.sim.faults.expireAccessTokens({ login: 'kate' })).toBe(1);
    worker = await startTestWorker(stage, 'w1');
    await settled(backfill.job_id, 'completed', 1);
    expect(stage.sim.calls.count('egvs', 401)).toBe(1);
    expect(await metricValue(worker, 'vitals_sync_token_refreshes_total', { result: 'refreshed' })).toBe(1);
    expect((await stage.tokenSet('kate')).refresh_token).toBe(stage.tap.refreshTokens.at(-1));
    expect(await leakedTokens(stage, [worker], ['kate'])).toEqual([]);
  });

  it('when a refresh times out but Dexcom spent the token, the retry\'s invalid_grant is reported as that, not as a revocation', async () => {
    const { job: backfill } = await stage.connect('liam');
    nearExpiry();
    stage.sim.faults.slow({ endpoint: 'token', delayMs: 1_500, times: 1 });
    worker = await startTestWorker(stage, 'w1');
    await settled(backfill.job_id, 'pending', 1);
    expect((await job(backfill.job_id)).last_error).toMatch(/^token refresh timed out: .*may still have spent the refresh token/);
    // The simulator answers the slow refresh after all: the stored refresh token is spent.
    await until('the slow refresh was answered', () => stage.sim.calls.count('token', 200) === 2);

    stage.simClock.advance(60_000);
    await until('the retry failed the job', async () => (await job(backfill.job_id)).status === 'failed');
    const failed = await job(backfill.job_id);
    expect(failed.attempts).toBe(2);
    expect(failed.last_error).toMatch(/invalid_grant.*timed out/);
    expect(failed.last_error).not.toMatch(/revoked/);
    expect(await connection('liam')).toMatchObject({ status: 'reauthorization_required' });
    expect(await leakedTokens(stage, [worker], ['liam'])).toEqual([]);
  });
});
