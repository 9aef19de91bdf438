import { once } from 'node:events';
import { spawnSourceScript } from './test-support/source-script.ts';
import { PROVIDER, startSyncStage, until, type SyncStage } from './test-support/sync-stage.ts';
import { killAll, root, spawnWorker, type WorkerProcess } from './test-support/worker-process.ts';

jest.setTimeout(90_000);

/*
 * `npm run worker` as a process: its HTTP surface, and SIGTERM in the middle
 * of a job (a 90-day backfill in three slow chunks).
 */
describe('the worker process', () => {
  let stage: SyncStage;
  let workers: WorkerProcess[] = [];
  beforeAll(async () => {
    stage = await startSyncStage({ env: { SYNC_BACKFILL_DAYS: '90', SYNC_INTERVAL_MS: '3600000' } });
  });
  afterEach(() => {
    killAll(workers);
    workers = [];
  });
  afterAll(async () => {
    await stage.stop();
  });

  const start = async (id: string, env: Record<string, string> = {}) => {
    const worker = spawnWorker(id, { ...stage.env, ...env });
    workers.push(worker);
    await until(`${id} is up`, () => worker.url() !== undefined || worker.child.exitCode !== null, 60_000);
    if (worker.url() === undefined) throw new Error(`${id} did not start:\n${worker.output()}`);
    return worker;
  };
  const claimedBy = (worker: WorkerProcess) => worker.logs().filter((record) => record['msg'] === 'sync job claimed');
  const healthz = async (worker: WorkerProcess) => (await fetch(`${worker.url()}/healthz`)).status;

  it('while it runs, /healthz answers 200 and /metrics the Prometheus text with the worker\'s counters', async () => {
    const worker = await start('http-worker');
    const health = await fetch(`${worker.url()}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const metrics = await fetch(`${worker.url()}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const name of ['vitals_sync_jobs_claimed_total', 'vitals_sync_jobs_finished_total', 'vitals_sync_records_synced_total', 'vitals_dexcom_requests_total', 'vitals_dexcom_request_duration_seconds', 'process_cpu_user_seconds_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect((await fetch(`${worker.url()}/nothing`)).status).toBe(404);
    expect((await fetch(`${worker.url()}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('when SIGTERM comes mid-job and the grace is over, it stops claiming, gives the job back without spending an attempt, and exits 0', async () => {
    const { job } = await stage.connect('sigterm-release');
    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 600, times: 3 });
    const worker = await start('releaser', { WORKER_STOP_GRACE_MS: '0' });
    await until('the job is claimed', () => claimedBy(worker).length === 1, 30_000);
    await until('the first chunk is asked for', () => stage.sim.calls.count('egvs') >= 1);
    worker.child.kill('SIGTERM');
    // Not healthy from the moment it stops claiming (until it is gone).
    await until('/healthz says stopping', async () => (await healthz(worker).catch(() => 503)) === 503);
    expect(await worker.exited).toEqual([0, null]);

    const released = await stage.job(job.job_id);
    expect(released).toMatchObject({ status: 'pending', attempts: 0 });
    expect(released.lease_owner).toBeUndefined();
    // Due at once (the worker's clock is the system's).
    expect(Date.parse(released.scheduled_at)).toBeLessThanOrEqual(Date.now());
    expect(claimedBy(worker)).toHaveLength(1);
    // The next worker takes it and finishes it.
    const next = await start('finisher');
    await until('the job completed', async () => (await stage.jobs.get(job.job_id))?.status === 'completed', 30_000);
    expect(claimedBy(next).map((record) => record['job_id'])).toEqual([job.job_id]);
    expect((await stage.connections.get('sigterm-release', PROVIDER))?.status).toBe('connected');
  });

  it('when SIGTERM comes mid-job within the grace, it finishes the job, claims nothing more, and exits 0', async () => {
    const { job } = await stage.connect('sigterm-finish');
    stage.sim.faults.slow({ endpoint: 'egvs', delayMs: 400, times: 3 });
    const worker = await start('finisher-2', { WORKER_STOP_GRACE_MS: '30000' });
    await until('the job is claimed', () => claimedBy(worker).some((record) => record['job_id'] === job.job_id), 30_000);
    worker.child.kill('SIGTERM');
    await until('it stops claiming', () => worker.logs().some((record) => String(record['msg']).startsWith('sync worker stopping')));
    // A job that comes due while it finishes is left for another worker.
    const { job: later } = await stage.connect('sigterm-after');
    expect(await worker.exited).toEqual([0, null]);
    expect((await stage.jobs.get(later.job_id))?.status).toBe('pending');
    expect((await stage.jobs.get(job.job_id))?.status).toBe('completed');
    expect(claimedBy(worker).map((record) => record['job_id'])).not.toContain(later.job_id);
  });

  it('when the process that started it over an IPC channel is gone, it exits', async () => {
    const afterMs = 8_000;
    const child = spawnSourceScript(root, 'apps/sync-worker/src/main.ts', { ...stage.env, WORKER_ID: `ipc-${afterMs}` }, { ipc: true });
    // Read and dropped: the worker writes its lines synchronously, so an unread pipe would hold it up.
    child.stdout.resume();
    child.stderr.resume();
    const exited = once(child, 'exit');
    await new Promise((done) => setTimeout(done, afterMs));
    // What the channel sees when its other end dies, however it died.
    child.disconnect();
    const outcome = await Promise.race([exited, new Promise((done) => setTimeout(() => done('still running'), 40_000))]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome).not.toBe('still running');
  });

  it('when a variable is bad, exits 1 with one message naming it, no stack', async () => {
    const worker = spawnWorker('bad-config', { ...stage.env, WORKER_CONCURRENCY: 'many', DEXCOM_BASE_URL: 'nowhere' });
    workers.push(worker);
    const [code] = await worker.exited;
    expect(code).toBe(1);
    expect(worker.output()).toMatch(/WORKER_CONCURRENCY: must be an integer 1\.\.100 \(got "many"\)/);
    expect(worker.output()).toMatch(/DEXCOM_BASE_URL: must be an http\(s\) URL/);
    expect(worker.output()).not.toMatch(/^\s+at /m);
  });
});

/*
 * As `npm start` runs it: over an IPC channel, its output read through pipes
 * by the process that started it. That process, killed while the worker is
 * busy writing lines, leaves them unwritable; the worker must end all the same.
 */
describe('the worker process whose starter is killed', () => {
  let stage: SyncStage;
  beforeAll(async () => {
    stage = await startSyncStage({ env: { SYNC_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await stage.stop();
  });

  const USERS = 4;
  const completed = (lines: string[]) => lines.filter((line) => line.includes('"msg":"sync job completed"')).length;
  // The moment in the worker's output, and how long after it the starter dies: at once, while lines are on their way;
  // or once the worker is quiet, so that the lines of its stop are the first to find the pipe broken.
  const moments: [string, (lines: string[]) => boolean, number][] = [
    ['while it starts', (lines) => lines.some((line) => line.startsWith('{')), 0],
    ['while it runs jobs', (lines) => lines.some((line) => line.includes('"msg":"sync job claimed"')), 0],
    ['while it waits for work', (lines) => completed(lines) >= USERS, 1_000],
  ];
  it.each(moments)('when the process that started it is killed %s, it exits though its output pipes are broken', async (moment, reached, afterMs) => {
    const id = `starter-gone-${moment.replaceAll(' ', '-')}`;
    for (let user = 0; user < USERS; user += 1) await stage.connect(`${id}-${user}`);
    const starter = spawnSourceScript(root, 'apps/sync-worker/src/test-support/ipc-starter.ts', { ...stage.env, WORKER_ID: id });
    let output = '';
    starter.stderr.pipe(process.stderr);
    let due = false;
    const killed = new Promise<boolean>((resolve) => {
      starter.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (due || !reached(output.split('\n'))) return;
        due = true;
        const kill = () => resolve(starter.kill('SIGKILL'));
        // At once: from the handler that reads the line, not a poll later.
        if (afterMs === 0) kill();
        else setTimeout(kill, afterMs);
      });
      setTimeout(() => resolve(false), 60_000).unref();
    });
    expect(await killed).toBe(true);
    const pid = Number(/^worker pid (\d+)$/m.exec(output)?.[1]);
    expect(pid).toBeGreaterThan(1);
    const running = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // Within the grace it gives its jobs (15 s), and then some.
    const gone = await until('the worker is gone', () => !running(), 25_000).then(
      () => true,
      () => false,
    );
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  });
});
