import { inBatches, present, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { linesHolding } from '../test-support/log-capture.ts';
import { killAll, spawnWorker, type WorkerProcess } from '../test-support/worker-process.ts';

jest.setTimeout(270_000);

const USERS = 200;
const WORKERS = 4;

/*
 * Four `npm run worker` processes against one table and 200 connected users,
 * with a ten-second interval so that every user's backfill is followed by
 * scheduled runs re-fetching the overlap. Every job must be claimed once,
 * every user synced, every reading stored once.
 */
describe(`${WORKERS} worker processes × ${USERS} users`, () => {
  let stage: SyncStage;
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    // A lease far longer than a run takes, even on a loaded machine: a lapsed lease is the SIGKILL test's subject, not this one's.
    stage = await startSyncStage({
      // DynamoDB gets as long as it takes too: a timed-out write is a retried attempt, which this spec rightly refuses.
      env: {
        SYNC_INTERVAL_MS: '10000',
        WORKER_CONCURRENCY: '4',
        REPAIR_EVERY_MS: '1000',
        WORKER_JOB_LEASE_MS: '60000',
        DYNAMODB_REQUEST_TIMEOUT_MS: '20000',
        DYNAMODB_OPERATION_TIMEOUT_MS: '30000',
      },
    });
  });
  afterAll(async () => {
    killAll(workers);
    await stage.stop();
  });

  it('when they run together, every user is synced, each job is claimed once and no reading is lost or doubled', async () => {
    const logins = Array.from({ length: USERS }, (_, index) => `user-${String(index).padStart(3, '0')}`);
    const backfills = new Map((await inBatches(logins, 20, async (login) => [login, (await stage.connect(login)).job] as const)));
    workers = Array.from({ length: WORKERS }, (_, index) => spawnWorker(`proc-${index}`, stage.env));

    // Each user's backfill, then at least one scheduled run after it. Users found done are not asked
    // again, and the probe waits a second between rounds: it must not be what loads DynamoDB.
    const done = new Set<string>();
    await until(
      'every user has two completed runs',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await inBatches(
          logins.filter((login) => !done.has(login)),
          10,
          async (login) => {
            if ((await stage.jobsOf(login)).filter((job) => job.status === 'completed').length >= 2) done.add(login);
          },
        );
        return done.size === USERS;
      },
      200_000,
    );
    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    expect(exits).toEqual(workers.map(() => [0, null]));

    // Claimed once: each job id in exactly one claim line across the four processes, and never a second attempt.
    const claims = workers.flatMap((worker) => worker.logs().filter((record) => record['msg'] === 'sync job claimed'));
    const claimedIds = claims.map((record) => String(record['job_id']));
    const jobs = (await inBatches(logins, 25, (login) => stage.jobsOf(login))).flat();
    const twice = [...new Set(claimedIds.filter((id, index) => claimedIds.indexOf(id) !== index))];
    expect(
      twice.map((id) => ({
        id,
        claims: claims.filter((claim) => claim['job_id'] === id).map((claim) => [claim['lease_owner'], new Date(Number(claim['time'])).toISOString()]),
        job: jobs.find((job) => job.job_id === id),
      })),
    ).toEqual([]);
    const finished = jobs.filter((job) => job.status !== 'pending');
    expect(finished.map((job) => [job.status, job.attempts])).toEqual(finished.map(() => ['completed', 1]));
    expect(new Set(claimedIds)).toEqual(new Set(finished.map((job) => job.job_id)));
    // The work was shared.
    expect(workers.map((worker) => worker.logs().some((record) => record['msg'] === 'sync job completed'))).toEqual(workers.map(() => true));

    // Every user holds exactly the readings Dexcom serves over the backfill window, each once.
    const problems: string[] = [];
    let total = 0;
    await inBatches(logins, 20, async (login) => {
      const backfill = present(backfills.get(login), login);
      const expected = stage.expectedRecordIds(login, backfill.window_start, new Date().toISOString());
      const stored = (await stage.stored(login)).map((reading) => reading.dexcom?.record_id).sort();
      total += stored.length;
      const synced = jobs.filter((job) => job.user_id === login).reduce((sum, job) => sum + job.records_synced, 0);
      if (JSON.stringify(stored) !== JSON.stringify(expected)) problems.push(`${login}: ${stored.length} stored, ${expected.length} served`);
      else if (synced !== stored.length) problems.push(`${login}: records_synced adds up to ${synced}, ${stored.length} stored`);
    });
    expect(problems).toEqual([]);
    // Five hours of five-minute readings each, but for sensor changes and signal losses.
    expect(total).toBeGreaterThan(USERS * 40);

    expect(linesHolding(workers.flatMap((worker) => worker.output().split('\n')), stage.tap.tokens)).toEqual([]);
  });
});
