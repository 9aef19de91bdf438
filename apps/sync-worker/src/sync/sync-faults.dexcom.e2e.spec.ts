import { leakedTokens } from '../test-support/leak-check.ts';
import { MINUTE, present, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers, type TestWorker } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * Dexcom misbehaving, as the simulator's faults make it: what becomes of the
 * job (status, last_error, attempts) and of the connection, and that no
 * token reaches a log line, a stored record or a metric meanwhile.
 */
describe('when Dexcom misbehaves during a run', () => {
  let stage: SyncStage;
  let worker: TestWorker;
  beforeEach(async () => {
    stage = await startSyncStage({ env: { SYNC_MAX_ATTEMPTS: '2', LOG_LEVEL: 'debug', SYNC_INTERVAL_MS: String(60 * MINUTE), DEXCOM_TIMEOUT_MS: '1000' } });
  });
  afterEach(async () => {
    await stopTestWorkers();
    await stage.stop();
  });

  const start = async () => {
    worker = await startTestWorker(stage, 'w1');
  };
  const job = (jobId: string) => stage.job(jobId);
  const connection = (login: string) => stage.connection(login);
  const settled = (jobId: string, status: string, attempts: number) =>
    until(`the job is ${status} after ${attempts} attempt(s)`, async () => {
      const current = await job(jobId);
      return current.status === status && current.attempts === attempts && current.lease_owner === undefined;
    });
  const noLeaks = async (login: string) => expect(await leakedTokens(stage, [worker], [login])).toEqual([]);

  it('when 429s come in a storm, each defers the job by its Retry-After without spending an attempt, until a call gets through', async () => {
    const { job: backfill } = await stage.connect('erin');
    stage.sim.faults.rateLimit({ endpoint: 'egvs', retryAfterSeconds: 120, times: 3 });
    await start();
    for (let storm = 1; storm <= 3; storm++) {
      await until(`429 number ${storm}`, () => stage.sim.calls.count('egvs', 429) === storm);
      await settled(backfill.job_id, 'pending', 0);
      const deferred = await job(backfill.job_id);
      expect(deferred.scheduled_at).toBe(new Date(stage.clock.now().getTime() + 120_000).toISOString());
      expect(deferred.last_error).toMatch(/429.*Retry-After 120 s/);
      expect(await connection('erin')).toMatchObject({ status: 'connected', last_error: expect.stringMatching(/429/) });
      // Not due before its time.
      await new Promise((done) => setTimeout(done, 300));
      expect(stage.sim.calls.count('egvs')).toBe(storm);
      stage.simClock.advance(120_000);
    }
    // Three storms on a job of two attempts: it still completes, on its first counted attempt.
    await settled(backfill.job_id, 'completed', 1);
    expect((await connection('erin')).last_error).toBeUndefined();
    expect(await metricValue(worker, 'vitals_sync_jobs_finished_total', { outcome: 'deferred' })).toBe(3);
    expect(await metricValue(worker, 'vitals_dexcom_requests_total', { endpoint: 'egvs', status: '429' })).toBe(3);
    await noLeaks('erin');
  });

  it('when Dexcom answers 5xx, the attempt fails with the status in last_error and is retried after the backoff', async () => {
    const { job: backfill } = await stage.connect('frank');
    stage.sim.faults.serverError({ endpoint: 'egvs', status: 503, times: 1 });
    await start();
    await settled(backfill.job_id, 'pending', 1);
    const failed = await job(backfill.job_id);
    expect(failed.last_error).toMatch(/503/);
    expect(failed.scheduled_at).toBe(new Date(stage.clock.now().getTime() + 60_000).toISOString());
    expect(await connection('frank')).toMatchObject({ status: 'connected', last_error: expect.stringMatching(/503/) });

    stage.simClock.advance(60_000);
    await settled(backfill.job_id, 'completed', 2);
    expect((await stage.stored('frank')).length).toBeGreaterThan(40);
    await noLeaks('frank');
  });

  it('when every attempt fails, the job fails and the next regular run is scheduled over the same window', async () => {
    const { job: backfill } = await stage.connect('gina');
    stage.sim.faults.serverError({ endpoint: 'egvs', status: 502, times: 10 });
    await start();
    await settled(backfill.job_id, 'pending', 1);
    stage.simClock.advance(60_000);
    await settled(backfill.job_id, 'failed', 2);
    expect((await job(backfill.job_id)).last_error).toMatch(/502/);
    const after = await connection('gina');
    expect(after).toMatchObject({ status: 'connected', last_error: expect.stringMatching(/502/) });
    const next = await job(present(after.next_job_id, 'the next job'));
    expect(next).toMatchObject({ status: 'pending', attempts: 0, window_start: backfill.window_start });
    await noLeaks('gina');
  });

  it('when Dexcom answers slower than the timeout, the attempt fails naming the timeout; slow but in time is just slow', async () => {
    const { job: slowJob } = await stage.connect('hank');
    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 1_500, times: 1 });
    await start();
    await settled(slowJob.job_id, 'pending', 1);
    expect((await job(slowJob.job_id)).last_error).toMatch(/did not answer within 1000 ms/);
    expect(await metricValue(worker, 'vitals_dexcom_requests_total', { endpoint: 'egvs', status: 'timeout' })).toBe(1);

    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 400, times: 1 });
    stage.simClock.advance(60_000);
    await settled(slowJob.job_id, 'completed', 2);
    await noLeaks('hank');
  });

  it('when records are malformed, the good ones are stored, the bad ones counted and logged by id, and the job completes', async () => {
    const { job: backfill } = await stage.connect('ivy');
    stage.sim.faults.malformedRecords({ count: 3, login: 'ivy', times: 1 });
    await start();
    await settled(backfill.job_id, 'completed', 1);
    const expected = stage.expectedRecordIds('ivy', backfill.window_start, backfill.window_end);
    expect((await stage.stored('ivy')).map((reading) => reading.dexcom?.record_id).sort()).toEqual(expected);
    expect((await job(backfill.job_id)).records_synced).toBe(expected.length);
    expect(await connection('ivy')).toMatchObject({ status: 'connected' });
    expect((await connection('ivy')).last_error).toBeUndefined();

    const skipped = await metricValue(worker, 'vitals_sync_records_skipped_total', { reason: 'malformed' });
    const unmappable = await metricValue(worker, 'vitals_sync_records_skipped_total', { reason: 'unmappable' });
    expect(skipped + unmappable).toBe(3);
    const logged = worker.log.records().filter((record) => record['msg'] === 'Dexcom records not stored');
    expect(logged.reduce((sum, record) => sum + Number(record['count']), 0)).toBe(3);
    await noLeaks('ivy');
  });
});
