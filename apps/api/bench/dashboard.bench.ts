/// <reference lib="dom" />
/*
 * `npm run bench` (after api.bench.ts) — the dashboard page in headless
 * Chromium: the time from navigation to every chart drawn (the page's
 * `data-drawn-ms`, `performance.now()` when its last chart has drawn), for
 * 14 and 90 days of 5-minute readings, p50 over LOADS reloads each. The API
 * runs as `npm start` builds it on a fresh in-memory DynamoDB Local.
 *
 * The baseline, interleaved load by load in the same run: the same data
 * fetched from Node the plain way, no browser, nothing drawn — the stats
 * alongside every reading of the window page by page, then the recovery
 * log (what the page did before it fetched ranges in parallel). The ratio
 * page / baseline says what the page's own scheduling and drawing cost, or
 * save, whatever DynamoDB Local's speed on the machine. The load averages
 * at the start and the end go into the results, as the machine is shared.
 * Nothing asserts a timing; the run fails only when the page does not draw
 * or the baseline does not get every reading.
 */
import { benchCleanups, figures, round, startLocalDynamoDB, time } from '@vitals/local-dynamodb';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { launchChromium } from '../src/test-support/browser.ts';
import { startBenchApi } from './servers.ts';

const LOADS = Number(process.env['BENCH_DASHBOARD_LOADS'] ?? 10);
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/dashboard.json');
const USER = 'bench-dashboard';
const FIVE_MINUTES = 300_000;
const DAYS = 90;
const WINDOWS = ['14', '90'] as const;

const cleanups = benchCleanups();

async function main(): Promise<void> {
  // The JVM shares the machine with Chromium and whatever else runs: give it time to come up.
  const local = await startLocalDynamoDB({ startTimeoutMs: 120_000 });
  cleanups.push(() => local.stop());
  const api = await startBenchApi({
    endpoint: local.endpoint,
    logLevel: 'warn',
    jwtSecret: randomBytes(32).toString('hex'),
    tokenEncryptionKey: randomBytes(32).toString('base64'),
    tablePrefix: 'bench-',
  });
  cleanups.push(() => api.close());
  const token = await api.token(USER);

  // 90 days up to now, every 5 minutes, through the API as a client would store them.
  const now = Date.now();
  const count = (DAYS * 86_400_000) / FIVE_MINUTES;
  const readings = Array.from({ length: count }, (_, i) => ({
    timestamp: new Date(now - (count - i) * FIVE_MINUTES).toISOString(),
    glucose_value: Math.round(160 + 90 * Math.sin(i / 36) + 20 * Math.sin(i / 7)),
    device_info: { device_id: 'g7', serial_number: 'SN-BENCH' },
  }));
  for (let start = 0; start < readings.length; start += 1000) {
    const response = await fetch(`${api.url}/v1/users/${USER}/readings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(readings.slice(start, start + 1000)),
    });
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
  }

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' })).newPage();
  await page.goto(`${api.url}/app/`);
  await page.fill('#token', token);
  await page.click('#sign-in-form button[type=submit]');
  const drawn = async (): Promise<number> => {
    await page.waitForFunction(() => ['ready', 'failed'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 120_000 });
    const state = await page.evaluate(() => [document.body.dataset.state, document.body.dataset.drawnMs]);
    if (state[0] !== 'ready') throw new Error(`the page did not draw: ${await page.textContent('#load-problem')}`);
    return Number(state[1]);
  };
  await drawn();

  /** The baseline: stats ‖ readings page by page, then the recovery log, from Node. */
  const baseline = async (days: number): Promise<void> => {
    const to = Date.now();
    const window = { from: new Date(to - days * 86_400_000).toISOString(), to: new Date(to).toISOString() };
    const get = async (path: string, query: Record<string, string>, also: number[] = []): Promise<{ items: unknown[]; next_cursor: string | null }> => {
      const response = await fetch(`${api.url}${path}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200 && !also.includes(response.status)) throw new Error(`${path} answered ${response.status}`);
      return response.json() as Promise<{ items: unknown[]; next_cursor: string | null }>;
    };
    const everyReading = async (): Promise<number> => {
      let count = 0;
      let cursor: string | null = null;
      do {
        const page = await get(`/v1/users/${USER}/readings`, { ...window, limit: '1000', ...(cursor === null ? {} : { cursor }) });
        count += page.items.length;
        cursor = page.next_cursor;
      } while (cursor !== null);
      return count;
    };
    const [, count] = await Promise.all([get(`/v1/users/${USER}/readings/stats`, { ...window, time_zone: 'UTC' }), everyReading()]);
    const stored = readings.filter((reading) => reading.timestamp >= window.from && reading.timestamp <= window.to).length;
    if (count !== stored) throw new Error(`the baseline read ${count} readings of the ${stored} in the window`);
    // The bench user is not the recovery log's owner: a 404, as the page gets.
    await get('/v1/health/summaries', { from: window.from.slice(0, 10), to: window.to.slice(0, 10) }, [404]);
  };

  const loadStart = loadavg();
  const results: Record<string, unknown> = {};
  for (const days of WINDOWS) {
    await page.selectOption('#window-days', days);
    await drawn();
    await baseline(Number(days));
    const pageTimes: number[] = [];
    const baselineTimes: number[] = [];
    for (let load = 0; load < LOADS; load += 1) {
      // Alternating which goes first, so drift hits both alike.
      const contenders = [
        async () => {
          await page.reload();
          pageTimes.push(await drawn());
        },
        async () => {
          baselineTimes.push(await time(() => baseline(Number(days))));
        },
      ];
      for (const run of load % 2 === 0 ? contenders : contenders.reverse()) await run();
    }
    const ours = figures(pageTimes);
    const theirs = figures(baselineTimes);
    const ratio = round(ours.p50_ms / theirs.p50_ms);
    results[`${days}_days`] = {
      page: { ...ours, min_ms: Math.min(...pageTimes), max_ms: Math.max(...pageTimes) },
      baseline: { ...theirs, min_ms: round(Math.min(...baselineTimes)), max_ms: round(Math.max(...baselineTimes)) },
      ratio_p50: ratio,
    };
    console.log(
      `dashboard, ${days} days: navigation → all charts drawn p50 ${ours.p50_ms} ms (min ${Math.min(...pageTimes)}, max ${Math.max(...pageTimes)}, ` +
        `${LOADS} loads); baseline (Node, stats ‖ pages in sequence) p50 ${theirs.p50_ms} ms; page / baseline ${ratio}`,
    );
  }
  const loadEnd = loadavg();
  const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(', ');
  console.log(`load average (1, 5, 15 min): ${load(loadStart)} at the start, ${load(loadEnd)} at the end`);

  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        note: `${availableParallelism()} CPU(s) (${cpus()[0]?.model ?? 'unknown'}); Chromium, the API and DynamoDB Local share them`,
        load_average: { start: loadStart.map((value) => round(value, 2)), end: loadEnd.map((value) => round(value, 2)) },
        results,
      },
      null,
      2,
    )}\n`,
  );
}

await cleanups.run(main);
