import { startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * A job that outlasts its lease: a 120-day backfill (four chunks) while the
 * clock of the repositories and the simulator runs ten times faster than
 * real time, so the run takes far longer than its eight-second lease. Only
 * its heartbeats keep a second worker, polling all along, from taking it.
 */
describe('a long job', () => {
  let stage: SyncStage;
  let ticker: NodeJS.Timeout | undefined;
  beforeEach(async () => {
    stage = await startSyncStage({ env: { SYNC_BACKFILL_DAYS: '120', WORKER_JOB_LEASE_MS: '8000', DEXCOM_TIMEOUT_MS: '4000', SYNC_INTERVAL_MS: '3600000' } });
  });
  afterEach(async () => {
    clearInterval(ticker);
    await stopTestWorkers();
    await stage.stop();
  });

  it('when it runs longer than its lease, heartbeats between chunks keep it: no other worker claims it and it completes on its first attempt', async () => {
    const { job } = await stage.connect('nora');
    // 300 ms of real time per chunk: 3 s of the fast clock, four chunks 12 s against an 8 s lease.
    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 300, times: 4 });
    const runner = await startTestWorker(stage, 'long-runner', { WORKER_CONCURRENCY: '1' });
    await until('the job is claimed', async () => (await metricValue(runner, 'vitals_sync_jobs_claimed_total')) === 1);
    ticker = setInterval(() => stage.simClock.advance(1_000), 100);
    const watcher = await startTestWorker(stage, 'watcher');

    await until('the job completed', async () => (await stage.job(job.job_id)).status === 'completed');
    clearInterval(ticker);
    const done = await stage.job(job.job_id);
    expect(done.attempts).toBe(1);
    expect(stage.sim.calls.count('egvs')).toBe(4);
    // Created at 1, claimed, completed: every other version is a heartbeat.
    expect(done.version - 3).toBeGreaterThanOrEqual(1);
    expect(await metricValue(watcher, 'vitals_sync_jobs_claimed_total')).toBe(0);
    expect(await metricValue(runner, 'vitals_sync_jobs_finished_total', { outcome: 'completed' })).toBe(1);
  });
});
