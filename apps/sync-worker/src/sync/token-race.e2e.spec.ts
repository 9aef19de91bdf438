import { DexcomClient } from '@vitals/dexcom-client';
import { CLIENT_ID, CLIENT_SECRET, HOUR, MINUTE, PROVIDER, REDIRECT_URI, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers, type TestWorker } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * Two workers in this process, each running a job of the same user whose
 * access token is about to expire: only one may spend the refresh token.
 */
describe('two workers on one expiring token', () => {
  let stage: SyncStage;
  beforeEach(async () => {
    stage = await startSyncStage();
  });
  afterEach(async () => {
    await stopTestWorkers();
    await stage.stop();
  });

  const refreshCalls = () => stage.sim.calls.log().filter((call) => call.endpoint === 'token' && call.grantType === 'refresh_token');

  it('when both need a fresh token at once, one refreshes, both proceed, and the stored refresh token is the last one issued', async () => {
    const connectedAt = stage.simClock.now();
    const { job: backfill } = await stage.connect('carol');
    // A second job of the same user, due at the same time.
    const extra = await stage.jobs.create('carol', { provider: PROVIDER, window_start: backfill.window_start, window_end: backfill.window_end });
    // Both workers up before the jobs are due: the clock set back a little, so neither can run both.
    stage.simClock.set(connectedAt - MINUTE);
    const env = { WORKER_CONCURRENCY: '1', DEXCOM_TIMEOUT_MS: '5000', WORKER_JOB_LEASE_MS: '10000', TOKEN_REFRESH_LEASE_MS: '10000' };
    const [a, b] = await Promise.all([startTestWorker(stage, 'racer-a', env), startTestWorker(stage, 'racer-b', env)]);
    // A slow refresh keeps the lease holder busy while the other worker finds the lease taken.
    stage.sim.faults.slow({ endpoint: 'token', delayMs: 2_500, times: 5 });
    // Now both jobs are due, four minutes before the two-hour token expires: inside the five-minute margin.
    stage.simClock.set(connectedAt + 2 * HOUR - 4 * MINUTE);
    await until('both jobs completed', async () => {
      const jobs = await Promise.all([stage.jobs.get(backfill.job_id), stage.jobs.get(extra.job_id)]);
      return jobs.every((job) => job?.status === 'completed');
    });

    expect(refreshCalls().map((call) => call.status)).toEqual([200]);
    // Each worker ran one of the two jobs: the race really happened.
    const runs = async (worker: TestWorker) => ({
      claimed: await metricValue(worker, 'vitals_sync_jobs_claimed_total'),
      completed: await metricValue(worker, 'vitals_sync_jobs_finished_total', { outcome: 'completed' }),
    });
    // A worker counts a run once its ending's write has answered, which can be just after the table shows the job completed.
    await until('both workers counted their run', async () => (await runs(a)).completed + (await runs(b)).completed === 2);
    expect({ a: await runs(a), b: await runs(b) }).toEqual({ a: { claimed: 1, completed: 1 }, b: { claimed: 1, completed: 1 } });
    const refreshed = (await metricValue(a, 'vitals_sync_token_refreshes_total', { result: 'refreshed' })) + (await metricValue(b, 'vitals_sync_token_refreshes_total', { result: 'refreshed' }));
    const awaited = (await metricValue(a, 'vitals_sync_token_refreshes_total', { result: 'awaited' })) + (await metricValue(b, 'vitals_sync_token_refreshes_total', { result: 'awaited' }));
    expect({ refreshed, awaited }).toEqual({ refreshed: 1, awaited: 1 });

    const stored = await stage.tokenSet('carol');
    expect(stored.refresh_token).toBe(stage.tap.refreshTokens.at(-1));
    expect(stage.tap.refreshTokens).toHaveLength(2); // the code exchange's, then the one refresh's
    // And Dexcom agrees: the stored refresh token is the live one.
    stage.sim.faults.clear();
    const client = new DexcomClient({ baseUrl: stage.sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
    await expect(client.refresh(stored.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('when the lease holder dies before saving, another worker takes the lapsed lease and refreshes', async () => {
    await stage.connect('dave');
    stage.simClock.advance(2 * HOUR - 4 * MINUTE);
    const set = await stage.tokenSet('dave');
    // A worker that took the refresh lease and was never heard of again.
    expect(await stage.tokens.leaseRefresh('dave', PROVIDER, 'dead-worker', set.version, 5_000)).toBeDefined();

    // (its job's own lease is long, so the jump of the clock below leaves the job to it)
    const worker = await startTestWorker(stage, 'survivor', { WORKER_JOB_LEASE_MS: '60000' });
    // Its refresh waits on the dead worker's lease; once the lease has lapsed, it takes it over.
    await new Promise((done) => setTimeout(done, 300));
    stage.simClock.advance(6_000);
    await until('the backfill completed', async () => (await stage.jobsOf('dave')).some((job) => job.status === 'completed'));
    expect(await metricValue(worker, 'vitals_sync_token_refreshes_total', { result: 'refreshed' })).toBe(1);
    expect(refreshCalls().map((call) => call.status)).toEqual([200]);
  });
});
