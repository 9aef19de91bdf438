/*
 * `npm run bench` — the API over HTTP against a bare Express 5 app doing the
 * raw DynamoDBDocumentClient query of the same items, side by side in one run
 * on a fresh in-memory DynamoDB Local:
 *
 * - list: GET /v1/users/{user}/readings, one page of 288 readings (a day at a
 *   5-minute cadence), under autocannon load (its own process), the API at
 *   LOG_LEVEL info (the default) and warn, interleaved round by round with
 *   the baseline; requests/s, p50/p99 and the ratio API ÷ baseline, plus
 *   the CPU time each response cost this process, DynamoDB Local and
 *   autocannon (cpu.ts), and the ratios those imply when the event loop or
 *   the cores are the limit — steadier than requests/s on a shared machine.
 * - nightscout: GET /api/v1/entries.json?count=288 with an `api-secret`
 *   (the same day as Nightscout entries, newest first) against a bare Express handler doing
 *   the raw Query (newest first, Limit 288), interleaved in the same rounds.
 * - stats: GET /v1/users/{user}/readings/stats over 90 days (25,920
 *   readings), sequentially, against the raw paged query of the same readings
 *   plus `glucoseStatistics` in process; p50/p99 and the ratio.
 *
 * DynamoDB Local (Java), the API and autocannon share the machine's cores,
 * so absolute figures say little; the ratios are the result. Nothing here
 * asserts timings; the run fails only when a response is wrong (non-2xx,
 * wrong item count, statistics differing from the baseline's).
 */
import { benchCleanups, figures, interleaved, percentile, round, startLocalDynamoDB, type Figures, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { MAX_GAP_MS, glucoseReadingEntity, glucoseReportDifferences, glucoseStatistics, type GlucoseStatistics, type StatisticsReading } from '@vitals/models';
import { AccessTokenRepository, GlucoseReadingRepository, MAX_PAGE_LIMIT } from '@vitals/repositories';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { cpuSince, dynamoDBLocalPid, type CpuReading } from './cpu.ts';
import { startLoadGenerator, type LoadGenerator, type LoadResult } from './load.ts';
import { rawDocumentClient, rawReadings, startBaseline, startBenchApi, type BenchApi, type Listening } from './servers.ts';

const CONNECTIONS = Number(process.env['BENCH_API_CONNECTIONS'] ?? 10);
// More, shorter rounds cancel drift (and other load on a shared machine) better than a few long ones.
const DURATION_S = Number(process.env['BENCH_API_DURATION_S'] ?? 6);
const WARMUP_S = Number(process.env['BENCH_API_WARMUP_S'] ?? 3);
const ROUNDS = Number(process.env['BENCH_API_ROUNDS'] ?? 5);
const STATS_RUNS = Number(process.env['BENCH_API_STATS_RUNS'] ?? 15);
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/api.json');

const PREFIX = 'bench-';
const TABLE = glucoseReadingEntity.tableName(PREFIX);
const FIVE_MINUTES = 300_000;
const DAY_MS = 86_400_000;
const PAGE_USER = 'bench-day';
const PAGE_READINGS = 288;
const DAY_START = Date.parse('2026-03-01T00:00:00.000Z');
const PAGE_FROM = new Date(DAY_START).toISOString();
const PAGE_TO = new Date(DAY_START + DAY_MS - 1).toISOString();
const NIGHTSCOUT_PATH = `/api/v1/entries.json?count=${PAGE_READINGS}`;
const STATS_USER = 'bench-quarter';
const STATS_DAYS = 90;
const STATS_READINGS = (STATS_DAYS * DAY_MS) / FIVE_MINUTES;
const STATS_FROM = new Date(DAY_START - STATS_DAYS * DAY_MS).toISOString();
const STATS_TO = new Date(DAY_START).toISOString();

const NOTE =
  `${availableParallelism()} CPU(s) (${cpus()[0]?.model ?? 'unknown'}) shared by DynamoDB Local (Java), the servers (this process) ` +
  'and autocannon (a child process): absolute figures are bounded by that contention; compare the ratios.';

function readings(count: number, start: number) {
  return Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(start + i * FIVE_MINUTES).toISOString(),
    glucose_value: 70 + ((i * 7) % 200),
    trend_direction: 'steady',
    device_info: { device_id: 'g7-123', serial_number: 'SN-42', transmitter_id: 'T-9' },
  }));
}

// ── everything started is stopped, also on failure or Ctrl-C ─────────────
const cleanups = benchCleanups();

interface LoadFigures {
  rounds: number;
  requests: number;
  requests_per_s: number;
  requests_per_s_by_round: number[];
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
  /** CPU time of this process (the server under load) per response. */
  server_cpu_us_per_request: number;
  /** CPU time of DynamoDB Local per response (null when /proc does not show it). */
  dynamodb_cpu_us_per_request: number | null;
  /** CPU time of the load generator per response (null when /proc does not show it). */
  load_generator_cpu_us_per_request: number | null;
  /** What one response costs the machine: the three together. */
  total_cpu_us_per_request: number | null;
}

type Run = LoadResult & { cpu: CpuReading };

function loadFigures(runs: readonly Run[]): LoadFigures {
  const latencies = runs.flatMap((run) => run.latencies_ms).sort((a, b) => a - b);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.duration_s, 0);
  return {
    rounds: runs.length,
    requests,
    requests_per_s: round(requests / seconds, 1),
    requests_per_s_by_round: runs.map((run) => round(run.requests / run.duration_s, 1)),
    p50_ms: round(percentile(latencies, 50), 2),
    p99_ms: round(percentile(latencies, 99), 2),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    server_cpu_us_per_request: perRequest(runs.map((run) => run.cpu.server_us)) as number,
    dynamodb_cpu_us_per_request: perRequest(runs.map((run) => run.cpu.dynamodb_us)),
    load_generator_cpu_us_per_request: perRequest(runs.map((run) => run.cpu.load_generator_us)),
    total_cpu_us_per_request: perRequest(
      runs.map(({ cpu }) =>
        cpu.dynamodb_us === undefined || cpu.load_generator_us === undefined ? undefined : cpu.server_us + cpu.dynamodb_us + cpu.load_generator_us,
      ),
    ),
  };
  function perRequest(micros: readonly (number | undefined)[]): number | null {
    return micros.some((value) => value === undefined) ? null : Math.round(micros.reduce<number>((sum, value) => sum + (value ?? 0), 0) / requests);
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadBefore = loadavg();
  const local: LocalDynamoDB = await startLocalDynamoDB();
  cleanups.push(() => local.stop());

  const common = {
    endpoint: local.endpoint,
    jwtSecret: randomBytes(32).toString('base64url'),
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    tablePrefix: PREFIX,
  };
  const apiInfo: BenchApi = await startBenchApi({ ...common, logLevel: 'info' });
  cleanups.push(() => apiInfo.close());
  const apiWarn: BenchApi = await startBenchApi({ ...common, logLevel: 'warn' });
  cleanups.push(() => apiWarn.close());

  // startServer created the tables (outside production); data goes in through the API's own container.
  const repository = apiWarn.container.get(GlucoseReadingRepository);
  await repository.saveMany(PAGE_USER, readings(PAGE_READINGS, DAY_START));
  await repository.saveMany(STATS_USER, readings(STATS_READINGS, Date.parse(STATS_FROM)));

  const raw = rawDocumentClient(local.endpoint);
  cleanups.push(() => raw.destroy());
  const baseline: Listening = await startBaseline(raw.document, TABLE);
  cleanups.push(() => baseline.close());

  const load: LoadGenerator = startLoadGenerator();
  cleanups.push(() => load.stop());

  const pageToken = await apiInfo.token(PAGE_USER);
  const statsToken = await apiInfo.token(STATS_USER);
  const range = `from=${encodeURIComponent(PAGE_FROM)}&to=${encodeURIComponent(PAGE_TO)}`;
  const listPath = `/v1/users/${PAGE_USER}/readings?${range}&limit=${PAGE_READINGS}`;
  const auth = { authorization: `Bearer ${pageToken}` };
  // The Nightscout read authenticates as its clients do: a personal access token's SHA-1 as `api-secret`.
  const { token: accessToken } = await apiInfo.container.get(AccessTokenRepository).create(PAGE_USER, { name: 'bench', scopes: ['readings:read'] });
  const nightscoutSecret = createHash('sha1').update(accessToken).digest('hex');
  const contenders: Record<string, { url: string; headers: Record<string, string> }> = {
    baseline: { url: `${baseline.url}/baseline/users/${PAGE_USER}/readings?${range}`, headers: {} },
    api_info: { url: `${apiInfo.url}${listPath}`, headers: auth },
    api_warn: { url: `${apiWarn.url}${listPath}`, headers: auth },
    // The Nightscout read of the same day, against its own bare baseline (ratios below pair each with its baseline).
    baseline_nightscout: { url: `${baseline.url}/baseline/users/${PAGE_USER}/entries?count=${PAGE_READINGS}`, headers: {} },
    api_nightscout: { url: `${apiInfo.url}${NIGHTSCOUT_PATH}`, headers: { 'api-secret': nightscoutSecret } },
  };

  // ── correctness, once, before measuring ─────────────────────────────────
  let apiNextCursor: string | null = null;
  for (const [name, { url, headers }] of Object.entries(contenders)) {
    const response = await fetch(url, { headers });
    const body = (await response.json()) as { items?: unknown[]; next_cursor?: string | null } | unknown[];
    const items = Array.isArray(body) ? body : body.items;
    if (response.status !== 200 || items?.length !== PAGE_READINGS) {
      throw new Error(`${name}: expected 200 with ${PAGE_READINGS} items, got ${response.status} with ${items?.length} items`);
    }
    if (name.startsWith('api_') && !Array.isArray(body)) apiNextCursor = body.next_cursor ?? null;
  }

  // ── list: autocannon, interleaved ──────────────────────────────────────
  const names = Object.keys(contenders);
  const runs: Record<string, Run[]> = Object.fromEntries(names.map((name) => [name, []]));
  const pids = { loadGenerator: load.pid, dynamodb: dynamoDBLocalPid(local.port) };
  const measure = async (name: string, duration: number) => {
    const { url, headers } = contenders[name] as { url: string; headers: Record<string, string> };
    const cpu = cpuSince(pids);
    const result = await load.run({ url, headers, connections: CONNECTIONS, duration });
    const run: Run = { ...result, cpu: cpu() };
    if (run.non2xx > 0 || run.errors > 0) {
      throw new Error(`${name}: ${run.non2xx} non-2xx responses and ${run.errors} errors in ${run.requests} requests`);
    }
    return run;
  };
  console.log(`\nwarm-up ${WARMUP_S} s each, then ${ROUNDS} round(s) of ${DURATION_S} s each, ${CONNECTIONS} connections…`);
  for (const name of names) await measure(name, WARMUP_S);
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of i % 2 === 0 ? names : [...names].reverse()) (runs[name] as Run[]).push(await measure(name, DURATION_S));
  }
  const list = Object.fromEntries(names.map((name) => [name, loadFigures(runs[name] as Run[])]));
  const ratio = (figures: LoadFigures, base: LoadFigures = list['baseline'] as LoadFigures) => {
    const byRound = figures.requests_per_s_by_round.map((value, i) => round(value / (base.requests_per_s_by_round[i] as number)));
    return {
      requests_per_s: round(figures.requests_per_s / base.requests_per_s),
      requests_per_s_by_round: byRound,
      requests_per_s_median_of_rounds: round(percentile([...byRound].sort((a, b) => a - b), 50)),
      p50: round(figures.p50_ms / base.p50_ms),
      p99: round(figures.p99_ms / base.p99_ms),
      server_cpu_per_request: round(figures.server_cpu_us_per_request / base.server_cpu_us_per_request),
      // Requests/s relative to the baseline when the server's one event loop is the limit (DynamoDB elsewhere, as in production).
      event_loop_bound_requests_per_s: round(base.server_cpu_us_per_request / figures.server_cpu_us_per_request),
      // Requests/s relative to the baseline when the machine's cores, shared by all three processes, are the limit.
      cores_bound_requests_per_s:
        figures.total_cpu_us_per_request === null || base.total_cpu_us_per_request === null
          ? null
          : round(base.total_cpu_us_per_request / figures.total_cpu_us_per_request),
    };
  };

  // ── stats: sequential, interleaved with the raw query + glucoseStatistics ─
  const statsUrl = `${apiInfo.url}/v1/users/${STATS_USER}/readings/stats?from=${encodeURIComponent(STATS_FROM)}&to=${encodeURIComponent(STATS_TO)}`;
  let apiStats: unknown;
  const rawStats: Record<string, GlucoseStatistics> = {};
  const rawStatistics = (name: string, pageSize?: number) => async () => {
    // The range the route reads: a reading up to 30 minutes before the window covers its start.
    const since = new Date(Date.parse(STATS_FROM) - MAX_GAP_MS).toISOString();
    const items = await rawReadings(raw.document, TABLE, STATS_USER, { from: since, to: STATS_TO, pageSize });
    rawStats[name] = glucoseStatistics(items as unknown as StatisticsReading[], {
      from: STATS_FROM,
      to: STATS_TO,
      timeZone: 'UTC',
    });
  };
  const statsContenders = {
    api: async () => {
      const response = await fetch(statsUrl, { headers: { authorization: `Bearer ${statsToken}` } });
      apiStats = await response.json();
      if (response.status !== 200) throw new Error(`stats: status ${response.status}: ${JSON.stringify(apiStats)}`);
    },
    // The baseline proper: the query the repository sends, 1,000 items a page.
    raw: rawStatistics('raw', MAX_PAGE_LIMIT),
    // The same with DynamoDB's own 1 MB pages (~3,700 readings each): slower on DynamoDB Local, shown for reference.
    raw_1mb_pages: rawStatistics('raw_1mb_pages'),
  };
  await interleaved(2, statsContenders);
  for (const [name, stats] of Object.entries(rawStats)) {
    // The route merges daily rollups: equal to the raw report within a relative 1e-9 (docs/GLUCOSE-REPORT.md).
    if (stats.count !== STATS_READINGS || glucoseReportDifferences(apiStats, JSON.parse(JSON.stringify(stats))).length > 0) {
      throw new Error(`stats: the API's statistics differ from ${name}'s (count ${stats.count} of ${STATS_READINGS})`);
    }
  }
  const statsLatencies = await interleaved(STATS_RUNS, statsContenders);
  const statsApi: Figures = figures(statsLatencies['api'] as number[]);
  const statsRaw: Figures = figures(statsLatencies['raw'] as number[]);
  const statsRaw1mb: Figures = figures(statsLatencies['raw_1mb_pages'] as number[]);
  const loadAfter = loadavg();

  const base = list['baseline'] as LoadFigures;
  const nightscoutBase = list['baseline_nightscout'] as LoadFigures;
  const nightscoutRatio = ratio(list['api_nightscout'] as LoadFigures, nightscoutBase);
  const results = {
    package: '@vitals/api',
    when: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model,
      node: process.version,
      load_average_1m: { before: round(loadBefore[0] as number, 2), after: round(loadAfter[0] as number, 2) },
      note: NOTE,
    },
    list_page_288: {
      request: `GET /v1/users/{user}/readings?from&to&limit=${PAGE_READINGS} (one page of ${PAGE_READINGS}, valid bearer token)`,
      baseline_request: 'GET on bare Express 5: raw DynamoDBDocumentClient Query (same key condition, paged to the end) + res.json',
      api_next_cursor_present: apiNextCursor !== null,
      connections: CONNECTIONS,
      duration_s: DURATION_S,
      warmup_s: WARMUP_S,
      rounds: ROUNDS,
      baseline: base,
      api_log_info: list['api_info'],
      api_log_warn: list['api_warn'],
      ratio_api_log_info: ratio(list['api_info'] as LoadFigures),
      ratio_api_log_warn: ratio(list['api_warn'] as LoadFigures),
      target_ratio: 0.8,
    },
    nightscout_entries_288: {
      request: `GET ${NIGHTSCOUT_PATH} (the newest ${PAGE_READINGS} as Nightscout entries, an access token's SHA-1 as api-secret, LOG_LEVEL info)`,
      baseline_request: 'GET on bare Express 5: one raw Query, newest first, Limit count + res.json of the items',
      baseline: nightscoutBase,
      api: list['api_nightscout'],
      ratio: nightscoutRatio,
      target_ratio: 0.8,
    },
    stats_90_days: {
      readings: STATS_READINGS,
      runs: STATS_RUNS,
      api: statsApi,
      raw_query_plus_glucose_statistics: { page_size: MAX_PAGE_LIMIT, ...statsRaw },
      p50_ratio: round(statsApi.p50_ms / statsRaw.p50_ms),
      p99_ratio: round(statsApi.p99_ms / statsRaw.p99_ms),
      raw_1mb_pages_plus_glucose_statistics: statsRaw1mb,
      p50_ratio_vs_1mb_pages: round(statsApi.p50_ms / statsRaw1mb.p50_ms),
    },
    elapsed_s: Math.round((performance.now() - began) / 1_000),
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const pad = (value: string | number | null, width: number) => String(value ?? 'n/a').padStart(width);
  const info = results.list_page_288.ratio_api_log_info;
  const warn = results.list_page_288.ratio_api_log_warn;
  const contenderRows: [string, LoadFigures, ReturnType<typeof ratio> | undefined][] = [
    ['baseline (bare express)', base, undefined],
    ['api LOG_LEVEL=info', list['api_info'] as LoadFigures, info],
    ['api LOG_LEVEL=warn', list['api_warn'] as LoadFigures, warn],
  ];
  console.log(`\n@vitals/api — one page of ${PAGE_READINGS} readings over HTTP / bare Express + raw query, same run`);
  console.log(`${CONNECTIONS} connections, ${ROUNDS} interleaved rounds × ${DURATION_S} s each (after ${WARMUP_S} s warm-up each)`);
  console.log(`${'contender'.padEnd(24)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('non-2xx', 9)}  ratio req/s [median of rounds] (each round)`);
  for (const [label, figures, vs] of contenderRows) {
    const versus = vs === undefined ? '1.000' : `${vs.requests_per_s.toFixed(3)}× [${vs.requests_per_s_median_of_rounds.toFixed(3)}] (${vs.requests_per_s_by_round.join(', ')})`;
    console.log(
      `${label.padEnd(24)}${pad(figures.requests_per_s.toFixed(1), 9)}${pad(figures.p50_ms.toFixed(2), 9)}${pad(figures.p99_ms.toFixed(2), 9)}` +
        `${pad(figures.non2xx, 9)}  ${versus}`,
    );
  }
  console.log('target ≥ 0.8×');
  const nightscoutRows: [string, LoadFigures, ReturnType<typeof ratio> | undefined][] = [
    ['baseline (raw, newest)', nightscoutBase, undefined],
    ['api /api/v1/entries', list['api_nightscout'] as LoadFigures, nightscoutRatio],
  ];
  console.log(`\nNightscout: GET ${NIGHTSCOUT_PATH} / bare Express + raw Query of the newest ${PAGE_READINGS}, same run`);
  for (const [label, figures, vs] of nightscoutRows) {
    const versus = vs === undefined ? '1.000' : `${vs.requests_per_s.toFixed(3)}× [${vs.requests_per_s_median_of_rounds.toFixed(3)}] (${vs.requests_per_s_by_round.join(', ')})`;
    console.log(
      `${label.padEnd(24)}${pad(figures.requests_per_s.toFixed(1), 9)}${pad(figures.p50_ms.toFixed(2), 9)}${pad(figures.p99_ms.toFixed(2), 9)}` +
        `${pad(figures.non2xx, 9)}  ${versus}   server CPU/request ${figures.server_cpu_us_per_request} µs` +
        (vs === undefined ? '' : `, event-loop-bound ratio ${vs.event_loop_bound_requests_per_s.toFixed(3)}×`),
    );
  }
  console.log('target ≥ 0.8×');
  console.log(`\nCPU time per response, µs        server  DynamoDB  autocannon     total   req/s ratio if bound by: event loop | 2 cores`);
  for (const [label, figures, vs] of contenderRows) {
    console.log(
      `${label.padEnd(30)}${pad(figures.server_cpu_us_per_request, 9)}${pad(figures.dynamodb_cpu_us_per_request, 10)}` +
        `${pad(figures.load_generator_cpu_us_per_request, 12)}${pad(figures.total_cpu_us_per_request, 10)}` +
        `${pad(vs === undefined ? '1.000' : `${vs.event_loop_bound_requests_per_s.toFixed(3)}×`, 37)}` +
        `${pad(vs === undefined ? '1.000' : vs.cores_bound_requests_per_s === null ? 'n/a' : `${vs.cores_bound_requests_per_s.toFixed(3)}×`, 10)}`,
    );
  }
  console.log(
    'bound by the event loop = baseline server ÷ API server (DynamoDB on other machines, as in production); ' +
      'by 2 cores = baseline total ÷ API total. Both are steadier than req/s on a shared machine.',
  );
  console.log(`\nstats over ${STATS_DAYS} days (${STATS_READINGS} readings), ${STATS_RUNS} sequential runs each, interleaved`);
  const statsRow = (label: string, figures: Figures) =>
    `${label.padEnd(44)}p50 ${pad(figures.p50_ms.toFixed(1), 7)} ms  p99 ${pad(figures.p99_ms.toFixed(1), 7)} ms  ${figures.ops_per_s.toFixed(2)} ops/s`;
  console.log(statsRow('api GET …/readings/stats', statsApi));
  console.log(statsRow(`raw query (${MAX_PAGE_LIMIT}/page) + glucoseStatistics`, statsRaw));
  console.log(statsRow('raw query (1 MB pages) + glucoseStatistics', statsRaw1mb));
  console.log(
    `ratio api ÷ raw (${MAX_PAGE_LIMIT}/page)  p50 ${results.stats_90_days.p50_ratio.toFixed(3)}×  p99 ${results.stats_90_days.p99_ratio.toFixed(3)}×` +
      `  (latency: lower is better; vs 1 MB pages p50 ${results.stats_90_days.p50_ratio_vs_1mb_pages.toFixed(3)}×)`,
  );
  console.log(`\nnote: ${NOTE} 1-min load average ${loadBefore[0]?.toFixed(2)} before, ${loadAfter[0]?.toFixed(2)} after.`);
  console.log(`results written to ${RESULTS} (${results.elapsed_s} s)`);
}

await cleanups.run(main);
