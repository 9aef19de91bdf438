/*
 * `npm run bench` — the sync worker's throughput (issue 14): 200 users'
 * first sync of one day (288 readings each, 57,600 in all) from the Dexcom
 * simulator into a fresh DynamoDB Local, five ways in one run:
 *
 * - raw:      a hand-written loop (plain fetch + parallel BatchWrite, no
 *             validation, leases or job records; raw-sync.ts), `CONCURRENCY`
 *             users at a time, in this process;
 * - worker_1: one `npm run worker` process, `WORKER_CONCURRENCY` =
 *             `CONCURRENCY`, on users connected through the real OAuth flow
 *             and `ConnectionService.connect` (`backfill_days` 1);
 * - worker_2: two such processes on a fresh table prefix, the same users and
 *             the same data;
 * - raw_read_first: the raw loop plus a strongly consistent BatchGet before
 *             each user's write, as the worker's store does — a diagnostic
 *             that prices that read alone;
 * - raw_process: the raw loop in a process of its own, warmed by the same
 *             40 first syncs as a worker process (raw-process.ts) — a
 *             diagnostic: does sharing this process with the simulator help
 *             or hinder the loop?
 *
 * Every contender writes into tables made alike, by `ensureTables` with a
 * prefix of its own: the readings table with its TTL on, beside the other
 * tables, as a deployment has it (DynamoDB Local charges a write into a
 * table with TTL on about 6 % more CPU, and scans such tables in the
 * background).
 *
 * After untimed rounds of every contender (`BENCH_SYNC_WARMUP_ROUNDS`, 4:
 * a cold JVM would slow whichever contender came first, and DynamoDB
 * Local's JVM warms each kind of request on its own, over a thousand or two
 * of that kind; the raw loop's code runs in this process, so it is warm
 * too), round by round in alternating order, so that drift of the machine
 * or of DynamoDB Local hits all alike. Each worker process is warmed the
 * same way before it is timed: `BENCH_SYNC_WORKER_WARMUP` (40) first syncs
 * per process of other users, whose jobs are due an hour earlier, so they are claimed
 * first (a production worker runs for days; a cold one ran its first 20
 * jobs at about half its later rate). Items/s are readings stored per
 * second of work: for the workers, from the first claim of a timed job to
 * the last timed job's completion (both from the processes' own log lines;
 * warm-up work still running then is inside the time, against the
 * workers), CPU counted from that claim too; for the loop from its first
 * fetch to its last write. The warm-up's own rate is reported beside.
 * Every contender must store exactly the readings the simulator serves —
 * each user's record ids compared — and every worker job must complete on
 * its first attempt with no refresh and no warning, or the run fails.
 *
 * Why a ratio is what it is: CPU time per 1,000 readings of DynamoDB Local,
 * the worker processes and this process (the simulator, the raw loop) —
 * on a 2-core machine their sum is the limit — and, with
 * BENCH_SYNC_LOG_LEVEL=debug, how long each DynamoDB call of a job took
 * (from the workers' `… done` lines, which cost CPU of their own: the
 * workers run at `info`, as in production, unless asked).
 *
 * BENCH_SYNC_USERS, BENCH_SYNC_DAYS (default 1: the days each user's
 * first sync covers), BENCH_SYNC_CONCURRENCY (default 4, the worker's
 * default), BENCH_SYNC_ROUNDS (default 2), BENCH_SYNC_WARMUP_ROUNDS
 * (default 4) change the work;
 * BENCH_SYNC_LOG_DIR keeps the workers' log lines. Results go to
 * bench-results/sync-worker.json.
 */
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBTables, createLogger } from '@vitals/dynamodb-core';
import { benchCleanups, round, startLocalDynamoDB } from '@vitals/local-dynamodb';
import { glucoseReadingEntity } from '@vitals/models';
import { ConnectionService, SyncJobRepository, ensureTables } from '@vitals/repositories';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { workerConfigFromEnv } from '../src/config/worker-config.ts';
import { createWorkerContainer } from '../src/worker/worker-container.ts';
import { CLIENT_ID, CLIENT_SECRET, PROVIDER, READINGS_PER_DAY, REDIRECT_URI, pool, startBenchStage, type BenchStage } from './bench-stage.ts';
import { cpuMsOf, dynamoDBLocalPid, ownCpuMs } from './process-cpu.ts';
import { spawnRawLoop } from './raw-process.ts';
import { rawSync } from './raw-sync.ts';
import { analyse, jobTime, meanStepTimes, printTable, ratiosByRound, summarize, type Contender, type Measured } from './report.ts';
import { killWorkers, metricSum, operationTimesPerJob, runWorkers, stopWorkers, type WorkerProcess } from './worker-processes.ts';

const USERS = Number(process.env['BENCH_SYNC_USERS'] ?? 200);
const CONCURRENCY = Number(process.env['BENCH_SYNC_CONCURRENCY'] ?? 4);
const ROUNDS = Number(process.env['BENCH_SYNC_ROUNDS'] ?? 2);
/**
 * Days each user's first sync covers (one job each). The issue's figure is one day; more days with fewer users
 * (`BENCH_SYNC_USERS`) move the same readings in fewer, larger jobs: what a job costs apart from its readings.
 */
const DAYS = Number(process.env['BENCH_SYNC_DAYS'] ?? 1);
if (!Number.isInteger(DAYS) || DAYS < 1 || DAYS > 30) {
  // The checks count one `egvs` call per job: Dexcom answers at most 30 days a call.
  throw new Error(`BENCH_SYNC_DAYS must be a whole number of days from 1 to 30, not "${process.env['BENCH_SYNC_DAYS']}"`);
}
/**
 * Untimed rounds of every contender before the timed ones. DynamoDB Local's JVM brings each kind of request down to
 * its warm cost on its own, over a thousand or two of that kind (measured: a claim's UpdateItem from 4.6 to 1.1 ms of
 * its CPU over 2,000, a three-item transaction from 9.5 to about 4.5 ms): a warm-up of the loop alone warms only its
 * BatchWrites. A round serves the workers' kinds (claim, newest-reading Query, rollup puts, completing transaction)
 * once per job: 520 times with the default users (`worker_1` 40 + 200 jobs, `worker_2` 80 + 200), so four rounds
 * bring them to about 2,000 before anything is timed (the README has what one round left).
 */
const WARMUP_ROUNDS = Number(process.env['BENCH_SYNC_WARMUP_ROUNDS'] ?? 4);
/** First syncs a worker process makes before it is timed, as the loop's process is warmed by the untimed rounds. */
const WARMUP_JOBS_PER_PROCESS = Number(process.env['BENCH_SYNC_WORKER_WARMUP'] ?? 40);
/** Where to keep the worker processes' log lines, for a closer look. */
const LOG_DIR = process.env['BENCH_SYNC_LOG_DIR'];
/** The workers' LOG_LEVEL: `debug` adds every DynamoDB call with its duration (and what writing those lines costs). */
const LOG_LEVEL = process.env['BENCH_SYNC_LOG_LEVEL'] ?? 'info';
const READINGS_PER_USER = DAYS * READINGS_PER_DAY;
const READINGS = USERS * READINGS_PER_USER;
const TARGET = 0.8;
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/sync-worker.json');

// ── everything started is stopped, also on failure or Ctrl-C ─────────────
const cleanups = benchCleanups();

interface Context {
  stage: BenchStage;
  /** Makes a contender's tables: `ensureTables`, as for the workers, so the loop writes into a table made as theirs is (its TTL too). */
  makeTables(prefix: string): Promise<void>;
  client: DynamoDBClient;
  document: DynamoDBDocumentClient;
  dynamodbPid: number | undefined;
  env: Record<string, string>;
}

function perThousand(ms: number | undefined, items: number): number | null {
  return ms === undefined ? null : round((ms / items) * 1_000, 1);
}

/** Each user's stored record ids must be exactly the simulator's for the window: nothing lost, nothing extra. */
async function verifyStored(context: Context, table: string, what: string, logins: readonly string[]): Promise<number> {
  const problems: string[] = [];
  const counts = await pool(logins, 16, async (login) => {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await context.document.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'user_id = :user',
          ExpressionAttributeValues: { ':user': login },
          ProjectionExpression: '#dexcom.#record_id',
          ExpressionAttributeNames: { '#dexcom': 'dexcom', '#record_id': 'record_id' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String((item['dexcom'] as { record_id?: string } | undefined)?.record_id));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    if (ids.sort().join() !== context.stage.expectedRecordIds(login).join()) problems.push(`${login}: ${ids.length} stored, ${READINGS_PER_USER} served`);
    return ids.length;
  });
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = logins.length * READINGS_PER_USER;
  if (problems.length > 0 || total !== expected) {
    throw new Error(`${what}: ${total} readings stored, ${expected} expected; ${problems.slice(0, 5).join('; ')}`);
  }
  return total;
}

async function dropTables(context: Context, prefix: string): Promise<void> {
  const { TableNames = [] } = await context.client.send(new ListTablesCommand({}));
  for (const name of TableNames.filter((table) => table.startsWith(prefix))) await context.client.send(new DeleteTableCommand({ TableName: name }));
}

/** Each of `logins` with an access token from the simulator's OAuth flow. */
function bearers(context: Context, logins: readonly string[]) {
  return pool(logins, 20, async (login) => ({ login, accessToken: (await context.stage.tokens(login)).access_token }));
}

/** A loop contender's tables, made afresh under a prefix of its own, and its users. */
async function rawStage(context: Context, name: string, logins: readonly string[]) {
  const prefix = `${name.replaceAll('_', '-')}-${randomBytes(3).toString('hex')}-`;
  await context.makeTables(prefix);
  return { prefix, table: glucoseReadingEntity.tableName(prefix), users: await bearers(context, logins) };
}

/** What a loop contender measured, once its readings are checked and its tables dropped. CPU figures in ms; `loopMs` when the loop ran in a child. */
async function rawMeasured(
  context: Context,
  run: { name: string; prefix: string; logins: readonly string[]; written: readonly number[]; elapsedMs: number; dynamodbMs: number | undefined; benchMs: number; loopMs?: number },
): Promise<Measured> {
  const items = run.written.reduce((sum, count) => sum + count, 0);
  await verifyStored(context, glucoseReadingEntity.tableName(run.prefix), run.name, run.logins);
  await dropTables(context, run.prefix);
  return {
    elapsed_ms: Math.round(run.elapsedMs),
    items,
    items_per_s: Math.round((items / run.elapsedMs) * 1_000),
    cpu_ms_per_1000: {
      dynamodb: perThousand(run.dynamodbMs, items),
      workers: run.loopMs === undefined ? null : perThousand(run.loopMs, items),
      bench_process: perThousand(run.benchMs, items) as number,
    },
  };
}

const since = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? undefined : after - before);

async function runRaw(context: Context, name: string, readFirst: boolean): Promise<Measured> {
  const logins = context.stage.logins;
  const { prefix, table, users } = await rawStage(context, name, logins);
  const dynamodbBefore = cpuMsOf(context.dynamodbPid);
  const ownBefore = ownCpuMs();
  const began = performance.now();
  const written = await rawSync(users, {
    document: context.document,
    table,
    dexcomUrl: context.stage.sim.url,
    window: context.stage.window,
    concurrency: CONCURRENCY,
    readFirst,
  });
  const elapsedMs = performance.now() - began;
  const dynamodbMs = since(dynamodbBefore, cpuMsOf(context.dynamodbPid));
  return rawMeasured(context, { name, prefix, logins, written, elapsedMs, dynamodbMs, benchMs: ownCpuMs() - ownBefore });
}

/** The loop in a child process (raw-process.ts), warmed by the warm-up users a worker process syncs first; timed from its `timed` line. */
async function runRawProcess(context: Context, name: string): Promise<Measured> {
  const logins = context.stage.logins;
  const { prefix, table, users } = await rawStage(context, name, logins);
  const warmup = await bearers(context, context.stage.warmupLogins.slice(0, WARMUP_JOBS_PER_PROCESS));
  let dynamodbBefore: number | undefined;
  let ownBefore = 0;
  const work = { endpoint: context.env['DYNAMODB_ENDPOINT'] as string, table, dexcomUrl: context.stage.sim.url, concurrency: CONCURRENCY, warmup, users };
  const window = { start: context.stage.window.start.toISOString(), end: context.stage.window.end.toISOString() };
  const result = await spawnRawLoop({ ...work, window }, () => {
    dynamodbBefore = cpuMsOf(context.dynamodbPid);
    ownBefore = ownCpuMs();
  });
  const dynamodbMs = since(dynamodbBefore, cpuMsOf(context.dynamodbPid));
  const benchMs = ownCpuMs() - ownBefore;
  return rawMeasured(context, { name, prefix, logins, written: result.written, elapsedMs: result.elapsed_ms, dynamodbMs, benchMs, loopMs: result.cpu_ms });
}

async function runWorkerProcesses(context: Context, processes: number): Promise<Measured> {
  const prefix = `w${processes}-${randomBytes(3).toString('hex')}-`;
  const env = { ...context.env, TABLE_PREFIX: prefix };
  // The bench's own view of the tables, on the stage's fixed clock: connections made now sync the stage's window.
  const container = await createWorkerContainer(workerConfigFromEnv(env), createLogger({ level: 'silent' }), context.stage.clock);
  // The warm-up users' connections, an hour earlier: their jobs are due first, so a process syncs them before the timed ones.
  const early = await createWorkerContainer(workerConfigFromEnv(env), createLogger({ level: 'silent' }), context.stage.warmupClock);
  let workers: WorkerProcess[] = [];
  try {
    await context.makeTables(prefix);
    const connect = (connections: ConnectionService, logins: readonly string[]) =>
      pool(logins, 20, async (login) => (await connections.connect(login, PROVIDER, await context.stage.tokens(login))).job.job_id);
    const warmupLogins = context.stage.warmupLogins.slice(0, WARMUP_JOBS_PER_PROCESS * processes);
    const warmupIds = await connect(early.get(ConnectionService), warmupLogins);
    const jobIds = await connect(container.get(ConnectionService), context.stage.logins);
    const timed = new Set(jobIds);

    // Timed from the first claim of a timed job (the processes' own lines), CPU from that moment: the warm-up's work
    // still running then counts against the workers, not for them.
    let loopStartedAt: number | undefined;
    let timedFrom: number | undefined;
    let dynamodbBefore: number | undefined;
    let ownBefore = 0;
    let workersBefore: (number | undefined)[] = [];
    workers = await runWorkers(processes, env, warmupIds.length + jobIds.length, {
      // A guard against a hang, not a bound on speed: on two cores shared with other work, 200 jobs took over two minutes.
      timeoutMs: 600_000,
      onLine: (record, spawned) => {
        if (record.msg === 'sync worker started') loopStartedAt ??= record.time;
        if (timedFrom !== undefined || record.msg !== 'sync job claimed' || !timed.has(String(record['job_id']))) return;
        timedFrom = record.time;
        dynamodbBefore = cpuMsOf(context.dynamodbPid);
        ownBefore = ownCpuMs();
        workersBefore = spawned.map((worker) => cpuMsOf(worker.child.pid));
      },
    });
    const dynamodbAfter = cpuMsOf(context.dynamodbPid);
    const own = ownCpuMs() - ownBefore;
    const workerCpu = workers.map((worker, index) => {
      const now = cpuMsOf(worker.child.pid);
      const before = workersBefore[index];
      return now === undefined || before === undefined ? undefined : now - before;
    });
    const metrics = await Promise.all(workers.map(async (worker) => (await fetch(`${worker.url}/metrics`)).text()));
    await stopWorkers(workers);
    if (LOG_DIR !== undefined) {
      mkdirSync(LOG_DIR, { recursive: true });
      for (const worker of workers) writeFileSync(join(LOG_DIR, `${prefix}${worker.id}.log`), worker.output());
    }

    const completions = (ids: readonly string[]) => ids.map((id) => workers.map((worker) => worker.completedAt.get(id)).find((time) => time !== undefined) as number);
    const end = Math.max(...completions(jobIds));
    const elapsed = end - (timedFrom as number);
    const sum = (name: string, labels?: Record<string, string>) => metrics.reduce((total, text) => total + metricSum(text, name, labels), 0);
    // The jobs: each first job completed on its first attempt, the timed ones with exactly their window written.
    const jobs = container.get(SyncJobRepository);
    const [timedJobs, warmupJobs] = await Promise.all([pool(jobIds, 16, (id) => jobs.get(id)), pool(warmupIds, 16, (id) => jobs.get(id))]);
    const warmupRecords = warmupJobs.reduce((total, job) => total + (job?.records_synced ?? 0), 0);
    const warmupEnd = Math.max(...completions(warmupIds));
    const details = {
      warmup_jobs: warmupIds.length,
      // The warm-up, from the first loop's start: what a cold process does with its first jobs.
      warmup_items_per_s: Math.round((warmupRecords / (warmupEnd - (loopStartedAt as number))) * 1_000),
      timed_from_ms_after_loop_start: (timedFrom as number) - (loopStartedAt as number),
      jobs_by_process: workers.map((worker) => worker.completedAt.size),
      records_synced: sum('vitals_sync_records_synced_total'),
      token_refreshes: sum('vitals_sync_token_refreshes_total'),
      egvs_calls: sum('vitals_dexcom_requests_total', { endpoint: 'egvs' }),
      warnings: workers.reduce((total, worker) => total + worker.problems.length, 0),
      dynamodb_ms_per_job: operationTimesPerJob(workers, warmupIds.length + jobIds.length),
    };
    const wrong = [...timedJobs, ...warmupJobs].filter((job) => job === undefined || job.status !== 'completed' || job.attempts !== 1);
    const short = timedJobs.filter((job) => job?.records_synced !== READINGS_PER_USER);
    if (wrong.length > 0 || short.length > 0) throw new Error(`${wrong.length} first jobs not completed once, ${short.length} timed ones without their ${READINGS_PER_USER} readings`);
    const calls = USERS + warmupIds.length;
    if (details.records_synced !== READINGS + warmupRecords || details.token_refreshes !== 0 || details.egvs_calls !== calls || details.warnings !== 0) {
      throw new Error(`worker_${processes}: unexpected metrics or log lines ${JSON.stringify(details)}`);
    }
    const items = await verifyStored(context, glucoseReadingEntity.tableName(prefix), `worker_${processes}`, context.stage.logins);
    await dropTables(context, prefix);
    const workersMs = workerCpu.some((ms) => ms === undefined) ? undefined : workerCpu.reduce<number>((total, ms) => total + (ms ?? 0), 0);
    return {
      elapsed_ms: elapsed,
      items,
      items_per_s: Math.round((items / elapsed) * 1_000),
      cpu_ms_per_1000: {
        dynamodb: perThousand(dynamodbBefore === undefined || dynamodbAfter === undefined ? undefined : dynamodbAfter - dynamodbBefore, items),
        workers: perThousand(workersMs, items),
        bench_process: perThousand(own, items) as number,
      },
      details,
    };
  } finally {
    killWorkers(workers);
    await container.unbindAll();
    await early.unbindAll();
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadBefore = loadavg();
  const local = await startLocalDynamoDB();
  cleanups.push(() => local.stop());
  const stage = await startBenchStage(USERS, WARMUP_JOBS_PER_PROCESS * 2, DAYS);
  cleanups.push(() => stage.stop());
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: local.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  cleanups.push(() => client.destroy());
  const env = {
    DYNAMODB_ENDPOINT: local.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DEXCOM_BASE_URL: stage.sim.url,
    DEXCOM_CLIENT_ID: CLIENT_ID,
    DEXCOM_CLIENT_SECRET: CLIENT_SECRET,
    DEXCOM_REDIRECT_URI: REDIRECT_URI,
    WORKER_CONCURRENCY: String(CONCURRENCY),
    WORKER_HTTP_PORT: '0',
    WORKER_IDLE_MIN_MS: '50',
    WORKER_IDLE_MAX_MS: '200',
    SYNC_BACKFILL_DAYS: String(DAYS),
    LOG_LEVEL,
  };
  // The loop's tables are made as the workers' are (ensureTables: the same definitions, TTL included).
  const tablesContainer = await createWorkerContainer(workerConfigFromEnv(env), createLogger({ level: 'silent' }));
  cleanups.push(() => tablesContainer.unbindAll());
  const context: Context = {
    stage,
    client,
    document: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    dynamodbPid: dynamoDBLocalPid(local.port),
    env,
    makeTables: async (prefix) => {
      await ensureTables(tablesContainer.get(DynamoDBTables), { prefix });
    },
  };

  const contenders: Record<Contender, () => Promise<Measured>> = {
    raw: () => runRaw(context, 'raw', false),
    worker_1: () => runWorkerProcesses(context, 1),
    worker_2: () => runWorkerProcesses(context, 2),
    raw_read_first: () => runRaw(context, 'raw_read_first', true),
    raw_process: () => runRawProcess(context, 'raw_process'),
  };
  const names = Object.keys(contenders) as Contender[];
  const runs = Object.fromEntries(names.map((name) => [name, [] as Measured[]])) as Record<Contender, Measured[]>;
  // DynamoDB Local, the simulator and this process warmed up by every contender's requests alike (WARMUP_ROUNDS).
  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    for (const name of names) {
      const measured = await contenders[name]();
      console.log(`warm-up ${i + 1} ${name.padEnd(15)} ${String(measured.items_per_s).padStart(6)} items/s  (not counted)`);
    }
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      const wall = performance.now();
      const measured = await contenders[name]();
      runs[name].push(measured);
      console.log(
        `round ${i + 1} ${name.padEnd(15)} ${String(measured.items_per_s).padStart(6)} items/s  (${measured.items} in ${measured.elapsed_ms} ms; ` +
          `${((performance.now() - wall) / 1_000).toFixed(1)} s with setup and checks)`,
      );
    }
  }

  const summary = Object.fromEntries(names.map((name) => [name, summarize(runs[name])])) as Record<Contender, ReturnType<typeof summarize>>;
  const rate = (name: Contender) => summary[name].items_per_s;
  const analysis = analyse(summary);
  const loadAfter = loadavg();
  const results = {
    package: '@vitals/sync-worker',
    when: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model,
      node: process.version,
      load_average_1m: { before: round(loadBefore[0] as number, 2), after: round(loadAfter[0] as number, 2) },
    },
    setup: {
      users: USERS,
      days: DAYS,
      readings_per_user: READINGS_PER_USER,
      readings: READINGS,
      window: { start: stage.window.start.toISOString(), end: stage.window.end.toISOString() },
      concurrency: { raw_users_at_once: CONCURRENCY, worker_concurrency_per_process: CONCURRENCY },
      simulator: { clock: `manual, fixed at ${stage.now.toISOString()}`, data_delay_ms: 0, rate_limit_per_hour: 'default (60,000)' },
      rounds: ROUNDS,
      warmup_rounds: WARMUP_ROUNDS,
      worker_log_level: LOG_LEVEL,
    },
    ...summary,
    ratio_worker_1_vs_raw: round(rate('worker_1') / rate('raw')),
    ratio_worker_1_vs_raw_by_round: ratiosByRound(runs, 'worker_1', 'raw'),
    target_ratio: TARGET,
    ratio_worker_2_vs_worker_1: round(rate('worker_2') / rate('worker_1')),
    ratio_worker_2_vs_worker_1_by_round: ratiosByRound(runs, 'worker_2', 'worker_1'),
    ratio_raw_read_first_vs_raw: round(rate('raw_read_first') / rate('raw')),
    ratio_worker_1_vs_raw_process: round(rate('worker_1') / rate('raw_process')),
    ratio_worker_1_vs_raw_process_by_round: ratiosByRound(runs, 'worker_1', 'raw_process'),
    analysis,
    worker_1_dynamodb_ms_per_job: meanStepTimes(runs.worker_1),
    elapsed_s: Math.round((performance.now() - began) / 1_000),
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const extra = analysis.worker_1_extra_cpu_ms_per_1000_vs_raw;
  const signed = (ms: number | null) => (ms === null ? 'n/a' : `${ms < 0 ? '−' : '+'}${Math.abs(ms)}`);
  console.log(`\n@vitals/sync-worker — ${USERS} users × ${DAYS} day${DAYS === 1 ? '' : 's'} (${READINGS} readings) from the Dexcom simulator, same run, ${ROUNDS} round(s)`);
  printTable(summary, CONCURRENCY);
  console.log(`worker_1 / raw        ${results.ratio_worker_1_vs_raw.toFixed(3)}×  target ≥ ${TARGET}×  (by round ${results.ratio_worker_1_vs_raw_by_round.join(', ')})`);
  console.log(
    `worker_1 / raw_process ${results.ratio_worker_1_vs_raw_process.toFixed(3)}×  (by round ${results.ratio_worker_1_vs_raw_process_by_round.join(', ')}; the loop in a process of its own)`,
  );
  console.log(`worker_2 / worker_1   ${results.ratio_worker_2_vs_worker_1.toFixed(3)}×  (by round ${results.ratio_worker_2_vs_worker_1_by_round.join(', ')})`);
  console.log(
    `CPU per 1,000 readings, worker_1 over raw: DynamoDB Local ${signed(extra.dynamodb)} ms (the read before the write alone: ${signed(extra.dynamodb_read_before_write)} ms), ` +
      `worker process ${signed(extra.worker_process)} ms over the loop's own ${analysis.raw_loop_client_cpu_ms_per_1000} ms`,
  );
  console.log(
    `ratio implied when the cores are the limit: ${analysis.cores_bound_ratio_worker_1_vs_raw}×; ` +
      `when one event loop is (DynamoDB elsewhere): ${analysis.event_loop_bound_ratio_worker_1_vs_raw}×`,
  );
  const steps = Object.entries(results.worker_1_dynamodb_ms_per_job);
  console.log(
    `time per job, ${CONCURRENCY} in flight: raw ${jobTime(runs.raw, CONCURRENCY, USERS)} ms, worker_1 ${jobTime(runs.worker_1, CONCURRENCY, USERS)} ms` +
      (steps.length === 0
        ? " (each DynamoDB call's time: BENCH_SYNC_LOG_LEVEL=debug)"
        : `, of which DynamoDB calls: ${steps.map(([key, { calls, ms }]) => `${key} ${ms}${calls === 1 ? '' : ` (${calls}×)`}`).join(', ')}`),
  );
  console.log(
    `note: ${availableParallelism()} CPU(s) shared by DynamoDB Local, the worker(s) and this process (the simulator, the raw loop); ` +
      `1-min load average ${loadBefore[0]?.toFixed(2)} before, ${loadAfter[0]?.toFixed(2)} after.`,
  );
  console.log(`results written to ${RESULTS} (${results.elapsed_s} s)`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanups.cleanUp();
}
