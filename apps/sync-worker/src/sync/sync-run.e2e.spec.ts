import { HOUR, MINUTE, present, startSyncStage, until, type SyncStage } from '../test-support/sync-stage.ts';
import { metricValue, startTestWorker, stopTestWorkers } from '../test-support/test-worker.ts';

jest.setTimeout(60_000);

/*
 * One worker in this process against the simulator and DynamoDB Local: a
 * connected user's backfill, then the scheduled next run re-fetching an
 * overlap after the simulator's clock moved on.
 */
describe('a sync run', () => {
  let stage: SyncStage;
  beforeEach(async () => {
    stage = await startSyncStage({ env: { SYNC_INTERVAL_MS: String(10 * MINUTE), SYNC_OVERLAP_MS: String(3 * HOUR) } });
  });
  afterEach(async () => {
    await stopTestWorkers();
    await stage.stop();
  });

  const completed = async (login: string) => (await stage.jobsOf(login)).filter((job) => job.status === 'completed');

  it('when a user is connected, the backfill stores exactly the readings Dexcom serves, completes with records_synced and schedules the next run', async () => {
    const { job: backfill } = await stage.connect('alice');
    const worker = await startTestWorker(stage, 'w1');
    await until('the backfill completed', async () => (await completed('alice')).length === 1);

    const expected = stage.expectedRecordIds('alice', backfill.window_start, backfill.window_end);
    const stored = await stage.stored('alice');
    expect(expected.length).toBeGreaterThan(40);
    expect(stored.map((reading) => reading.dexcom?.record_id).sort()).toEqual(expected);

    const done = await stage.job(backfill.job_id);
    expect(done).toMatchObject({ status: 'completed', attempts: 1, records_synced: expected.length });
    const connection = await stage.connection('alice');
    const newest = stored.map((reading) => reading.timestamp).sort().at(-1);
    expect(connection).toMatchObject({ status: 'connected', newest_reading_at: newest, synced_through: backfill.window_end });
    expect(connection.last_error).toBeUndefined();
    const next = await stage.job(present(connection.next_job_id, 'the next job'));
    expect(next).toMatchObject({
      status: 'pending',
      scheduled_at: new Date(stage.clock.now().getTime() + 10 * MINUTE).toISOString(),
      window_start: new Date(Date.parse(backfill.window_end) - 3 * HOUR).toISOString(),
    });

    expect(await metricValue(worker, 'vitals_sync_jobs_claimed_total')).toBe(1);
    expect(await metricValue(worker, 'vitals_sync_jobs_finished_total', { outcome: 'completed' })).toBe(1);
    expect(await metricValue(worker, 'vitals_sync_records_synced_total')).toBe(expected.length);
    expect(await metricValue(worker, 'vitals_dexcom_requests_total', { endpoint: 'egvs', status: '200' })).toBe(1);
  });

  it("when several users' jobs are due at once, their token sets and settings are read ahead in one request each, and no job reads its own", async () => {
    const logins = ['cara', 'dan', 'eve', 'finn', 'gus'];
    for (const login of logins) await stage.connect(login);
    // As many slots as jobs: all five are claimed from the first listing, however slow the machine.
    const worker = await startTestWorker(stage, 'w1', { LOG_LEVEL: 'debug', WORKER_CONCURRENCY: String(logins.length) });
    await until('every backfill completed', async () => (await Promise.all(logins.map(completed))).every((jobs) => jobs.length === 1));
    // The item operations the worker made on a table, from its `… done` lines (its start-up checks of the tables aside).
    const operationsOn = (table: string) =>
      worker.log
        .records()
        .filter((record) => typeof record['table'] === 'string' && record['table'].endsWith(table) && record['msg'] === `${String(record['operation'])} done`)
        .map((record) => String(record['operation']))
        .filter((operation) => !operation.startsWith('describeTable'));
    expect(operationsOn('user_tokens')).toEqual(['batchGetItems']);
    expect(operationsOn('user_settings')).toEqual(['batchGetItems']);
    for (const login of logins) expect((await stage.stored(login)).length).toBeGreaterThan(40);
  });

  it('when the next run comes due, it re-fetches the overlap: new readings added, revised ones corrected, none doubled', async () => {
    const { job: backfill } = await stage.connect('bob');
    await startTestWorker(stage, 'w1');
    await until('the backfill completed', async () => (await completed('bob')).length === 1);
    const before = (await stage.stored('bob')).length;

    // Half an hour later, and the next run due: six more readings have arrived, and recent ones took their final values.
    stage.simClock.advance(10 * MINUTE + 30 * MINUTE);
    await until('the next run completed', async () => (await completed('bob')).length === 2, 20_000);

    const records = stage.sim.egvs('bob', Date.parse(backfill.window_start), stage.clock.now());
    const stored = await stage.stored('bob');
    expect(stored.map((reading) => reading.dexcom?.record_id).sort()).toEqual(records.map((record) => record.recordId).sort());
    expect(stored.length).toBeGreaterThan(before);
    // Every plain measurement holds Dexcom's current (final) value.
    const valueOf = new Map(records.filter((record) => record.status === 'ok' && typeof record.value === 'number').map((record) => [record.recordId, record.value]));
    const differing = stored.filter((reading) => {
      const value = valueOf.get(reading.dexcom?.record_id ?? '');
      return value !== undefined && value !== reading.glucose_value;
    });
    expect(differing).toEqual([]);

    const second = present((await completed('bob')).find((job) => job.job_id !== backfill.job_id), 'the second run');
    // What the second run wrote: the readings it added, and the ones whose value it corrected.
    expect(second.records_synced).toBeGreaterThanOrEqual(stored.length - before);
  });
});
