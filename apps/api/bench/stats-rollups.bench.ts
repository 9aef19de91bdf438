/*
 * `npm run bench` (apps/api, after api.bench.ts) — the glucose report from
 * daily rollups against the same report computed from raw readings, in one
 * run on a fresh in-memory DynamoDB Local:
 *
 * - rollups: GET /v1/users/{user}/readings/stats over 90 and 365 days of
 *   5-minute readings (25,920 and 105,120), which reads the whole days'
 *   rollups (`glucose_rollups`) and merges them;
 * - raw: the paged query of the window's readings (1,000 a page, as the
 *   repository sends it) plus `glucoseStatistics` in process — what the
 *   route did before the rollups.
 *
 * Sequential, interleaved run by run; p50/p99 and the ratio raw ÷ rollups
 * (higher is better). The rollups are written by the readings' own saves,
 * as in production. Nothing asserts timings; the run fails only when the
 * two reports differ beyond a relative 1e-9 (docs/GLUCOSE-REPORT.md).
 */
import { benchCleanups, figures, interleaved, round, startLocalDynamoDB, type Figures, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { MAX_GAP_MS, glucoseReadingEntity, glucoseReportDifferences, glucoseStatistics, type GlucoseStatistics, type StatisticsReading } from '@vitals/models';
import { GlucoseReadingRepository, MAX_PAGE_LIMIT } from '@vitals/repositories';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { rawDocumentClient, rawReadings, startBenchApi, type BenchApi } from './servers.ts';

const RUNS = Number(process.env['BENCH_ROLLUPS_RUNS'] ?? 11);
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/stats-rollups.json');
const PREFIX = 'bench-';
const TABLE = glucoseReadingEntity.tableName(PREFIX);
const FIVE_MINUTES = 300_000;
const DAY_MS = 86_400_000;
const USER = 'bench-year';
const END = Date.parse('2026-03-01T00:00:00.000Z');
const YEAR_DAYS = 365;
const WINDOWS = [90, 365] as const;

const cleanups = benchCleanups();

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg();
  const local: LocalDynamoDB = await startLocalDynamoDB();
  cleanups.push(() => local.stop());
  const api: BenchApi = await startBenchApi({
    endpoint: local.endpoint,
    logLevel: 'warn',
    jwtSecret: randomBytes(32).toString('hex'),
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    tablePrefix: PREFIX,
  });
  cleanups.push(() => api.close());
  const repository = api.container.get(GlucoseReadingRepository);
  const start = END - YEAR_DAYS * DAY_MS;
  const count = (YEAR_DAYS * DAY_MS) / FIVE_MINUTES;
  console.log(`storing ${count} readings (a year at 5 minutes) through the repository, rollups included…`);
  const storeStarted = performance.now();
  for (let offset = 0; offset < count; offset += 2_016) {
    await repository.saveMany(
      USER,
      Array.from({ length: Math.min(2_016, count - offset) }, (_, k) => {
        const i = offset + k;
        return {
          timestamp: new Date(start + i * FIVE_MINUTES).toISOString(),
          glucose_value: 40 + ((i * 7) % 330),
          trend_direction: 'steady',
          device_info: { device_id: 'g7-123', serial_number: 'SN-42' },
        };
      }),
    );
  }
  const storeSeconds = (performance.now() - storeStarted) / 1000;
  const raw = rawDocumentClient(local.endpoint);
  cleanups.push(() => raw.destroy());
  const token = await api.token(USER);

  const results: Record<string, unknown> = {};
  for (const days of WINDOWS) {
    const from = new Date(END - days * DAY_MS).toISOString();
    const to = new Date(END).toISOString();
    let fromRollups: unknown;
    let fromRaw: GlucoseStatistics | undefined;
    const contenders = {
      rollups: async () => {
        const response = await fetch(`${api.url}/v1/users/${USER}/readings/stats?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
        fromRollups = await response.json();
        if (response.status !== 200) throw new Error(`stats: status ${response.status}: ${JSON.stringify(fromRollups)}`);
      },
      raw: async () => {
        const since = new Date(Date.parse(from) - MAX_GAP_MS).toISOString();
        const items = await rawReadings(raw.document, TABLE, USER, { from: since, to, pageSize: MAX_PAGE_LIMIT });
        fromRaw = glucoseStatistics(items as unknown as StatisticsReading[], { from, to, timeZone: 'UTC' });
      },
    };
    await interleaved(1, contenders);
    const wrong = glucoseReportDifferences(fromRollups, JSON.parse(JSON.stringify(fromRaw)));
    if (wrong.length > 0 || fromRaw?.count !== (days * DAY_MS) / FIVE_MINUTES) {
      throw new Error(`${days} days: the report from rollups differs from the raw one: ${wrong.slice(0, 5).join('; ')}`);
    }
    const latencies = await interleaved(RUNS, contenders);
    const rollups: Figures = figures(latencies['rollups'] as number[]);
    const rawFigures: Figures = figures(latencies['raw'] as number[]);
    results[`stats_${days}_days`] = {
      readings: (days * DAY_MS) / FIVE_MINUTES,
      runs: RUNS,
      api_from_rollups: rollups,
      raw_query_plus_glucose_statistics: rawFigures,
      speed_up_p50: round(rawFigures.p50_ms / rollups.p50_ms),
      speed_up_p99: round(rawFigures.p99_ms / rollups.p99_ms),
    };
    console.log(
      `${days} days: rollups p50 ${rollups.p50_ms.toFixed(1)} ms p99 ${rollups.p99_ms.toFixed(1)} ms | raw p50 ${rawFigures.p50_ms.toFixed(1)} ms ` +
        `p99 ${rawFigures.p99_ms.toFixed(1)} ms | speed-up p50 ${(rawFigures.p50_ms / rollups.p50_ms).toFixed(1)}×`,
    );
  }
  const loadAfter = loadavg();
  const note =
    `${availableParallelism()} CPU(s) (${cpus()[0]?.model ?? 'unknown'}) shared by DynamoDB Local and this process; ` +
    `1-min load average ${loadBefore[0]?.toFixed(2)} before, ${loadAfter[0]?.toFixed(2)} after.`;
  const output = { note, store_year_s: round(storeSeconds), ...results, elapsed_s: round((performance.now() - started) / 1000) };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`storing the year took ${storeSeconds.toFixed(1)} s; note: ${note}\nresults written to ${RESULTS}`);
}

await cleanups.run(main);
