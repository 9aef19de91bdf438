import { startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * A schedule broken the worst way: the worker running a job's last attempt
 * dies, so its lease expires with no attempt left, the job fails without
 * anyone scheduling a successor, and the user's chain of runs stops. The
 * overdue sweep every worker runs must start it again.
 */
describe('the overdue sweep', () => {
  let stage: SyncStage;
  beforeEach(async () => {
    stage = await startSyncStage({
      env: { SYNC_MAX_ATTEMPTS: '1', REPAIR_EVERY_MS: '200', REPAIR_OVERDUE_MS: '60000', SYNC_INTERVAL_MS: '3600000' },
    });
  });
  afterEach(async () => {
    await stopTestWorkers();
    await stage.stop();
  });

  it('when a job\'s last attempt died with its worker, the job fails and a new run, over the same window, syncs the user', async () => {
    const { job } = await stage.connect('olga');
    // A worker that claimed the job and was never heard of again.
    await stage.jobs.claim(job.job_id, 'dead-worker', 5_000);
    stage.simClock.advance(2 * 60_000);

    const worker = await startTestWorker(stage, 'sweeper');
    await until('the dead attempt is failed and a new run completed', async () => {
      const jobs = await stage.jobsOf('olga');
      return jobs.some((each) => each.status === 'completed');
    });
    const jobs = await stage.jobsOf('olga');
    expect(await stage.job(job.job_id)).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/lease expired/) });
    const repaired = jobs.filter((each) => each.job_id !== job.job_id);
    expect(repaired).toHaveLength(2); // the repair's run, completed, and the run it scheduled next
    expect(repaired.find((each) => each.status === 'completed')).toMatchObject({ window_start: job.window_start, attempts: 1 });
    const expected = stage.expectedRecordIds('olga', job.window_start, job.window_end);
    expect((await stage.stored('olga')).map((reading) => reading.dexcom?.record_id).sort()).toEqual(expected);
    expect(worker.log.records().some((record) => record['msg'] === 'overdue schedules repaired')).toBe(true);
    expect(await metricValue(worker, 'vitals_sync_jobs_finished_total', { outcome: 'completed' })).toBe(1);
  });
});
