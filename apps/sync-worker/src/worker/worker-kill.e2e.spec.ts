import type { SyncJob } from '@vitals/models';
import { inBatches, present, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { killAll, spawnWorker, type WorkerProcess } from '../test-support/worker-process.ts';

jest.setTimeout(150_000);

const VICTIMS = 10;
const USERS = 12;

/*
 * Ten worker processes, each SIGKILLed at a random moment of the job it
 * claimed (a 90-day backfill in three slow chunks: during a Dexcom call, the
 * batch write, or the completion); then one more worker, which must take each
 * of those jobs over once its lease has lapsed and finish it.
 */
describe('worker processes SIGKILLed mid-job', () => {
  let stage: SyncStage;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stage = await startSyncStage({
      env: {
        SYNC_BACKFILL_DAYS: '90',
        SYNC_INTERVAL_MS: '3600000',
        WORKER_CONCURRENCY: '1',
        // Well above the simulator's 600 ms: on a loaded machine a slow answer must not become a failed attempt,
        // whose retry waits a minute (a CI run timed out here at 1500 ms). The leases are twice it, as they must be.
        DEXCOM_TIMEOUT_MS: '3000',
        WORKER_JOB_LEASE_MS: '6000',
        TOKEN_REFRESH_LEASE_MS: '6000',
      },
    });
  });
  afterAll(async () => {
    killAll(workers);
    await stage.stop();
  });

  it(`when ${VICTIMS} workers die at random points of their jobs, another finishes each after its lease expires: nothing lost or doubled`, async () => {
    // The workers first, so that each claims a fresh job the moment the jobs exist.
    const victims = Array.from({ length: VICTIMS }, (_, index) => spawnWorker(`victim-${index}`, stage.env));
    workers.push(...victims);
    await until('every victim is up', () => victims.every((victim) => victim.url() !== undefined), 90_000);
    // Each egvs call takes 600 ms: a job is three of them, then its write and its completion, so a
    // kill within 800 ms of the claim showing lands mid-job even on a busy machine.
    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 600, times: 10_000 });
    const logins = Array.from({ length: USERS }, (_, index) => `kill-${index}`);
    const backfills: Map<string, SyncJob> = new Map(await inBatches(logins, 12, async (login) => [login, (await stage.connect(login, 0.5)).job] as const));

    const killedJobs = await Promise.all(
      victims.map(async (victim) => {
        let jobId: string | undefined;
        await until(`${victim.id} claimed a job`, () => {
          jobId = victim.logs().find((record) => record['msg'] === 'sync job claimed')?.['job_id'] as string | undefined;
          return jobId !== undefined;
        }, 60_000);
        await new Promise((done) => setTimeout(done, Math.random() * 800));
        victim.child.kill('SIGKILL');
        await victim.exited;
        return jobId as string;
      }),
    );

    const survivor = spawnWorker('survivor', { ...stage.env, WORKER_CONCURRENCY: '4' });
    workers.push(survivor);
    const backfillJobs = () => Promise.all(logins.map((login) => stage.jobs.get(present(backfills.get(login), login).job_id)));
    await until('every backfill completed', async () => (await backfillJobs()).every((job) => job?.status === 'completed'), 90_000).catch(async (error: Error) => {
      // Say which jobs did not finish, and why.
      const unfinished = (await backfillJobs()).filter((job) => job?.status !== 'completed');
      throw new Error(`${error.message}: ${JSON.stringify(unfinished.map((job) => job && { status: job.status, attempts: job.attempts, last_error: job.last_error, scheduled_at: job.scheduled_at }))}`);
    });

    // Every job a victim died on was claimed again after its lease expired, and completed then.
    const killed = await Promise.all([...new Set(killedJobs)].map((jobId) => stage.jobs.get(jobId)));
    expect(killed.filter((job) => job?.status !== 'completed' || job.attempts < 2)).toEqual([]);
    // Every claim of every job is one attempt: none claimed twice at once, none lost.
    const claims = workers.flatMap((worker) => worker.logs().filter((record) => record['msg'] === 'sync job claimed'));
    const jobs = await Promise.all(logins.map((login) => stage.jobs.get(present(backfills.get(login), login).job_id)));
    expect(jobs.map((job) => [job?.job_id, job?.attempts])).toEqual(
      jobs.map((job) => [job?.job_id, claims.filter((claim) => claim['job_id'] === job?.job_id).length]),
    );

    const problems: string[] = [];
    let total = 0;
    for (const login of logins) {
      const backfill = present(backfills.get(login), login);
      const expected = stage.expectedRecordIds(login, backfill.window_start, backfill.window_end);
      const stored = (await stage.stored(login)).map((reading) => reading.dexcom?.record_id).sort();
      total += stored.length;
      if (JSON.stringify(stored) !== JSON.stringify(expected)) problems.push(`${login}: ${stored.length} stored, ${expected.length} served`);
    }
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThan(USERS * 80);
  });
});
