/// <reference lib="dom" />
/*
 * `npm run bench` (after api.bench.ts) — the dashboard page in headless
 * Chromium: the time from navigation to every chart drawn (the page's
 * `data-drawn-ms`, `performance.now()` when its last chart has drawn), for
 * 14 and 90 days of 5-minute readings, p50 over LOADS reloads each. The API
 * runs as `npm start` builds it on a fresh in-memory DynamoDB Local. The
 * figure includes fetching every reading of the window (the daily traces)
 * and the stats, so it moves with DynamoDB Local's speed on this machine.
 * Nothing asserts a timing; the run fails only when the page does not draw.
 */
import { benchCleanups, percentile, round, startLocalDynamoDB } from '@vitals/local-dynamodb';
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

  const results: Record<string, { loads: number; p50_ms: number; min_ms: number; max_ms: number }> = {};
  for (const days of WINDOWS) {
    await page.selectOption('#window-days', days);
    await drawn();
    const times: number[] = [];
    for (let load = 0; load < LOADS; load += 1) {
      await page.reload();
      times.push(await drawn());
    }
    times.sort((a, b) => a - b);
    results[`${days}_days`] = { loads: LOADS, p50_ms: round(percentile(times, 50)), min_ms: times[0] ?? NaN, max_ms: times.at(-1) ?? NaN };
    console.log(`dashboard, ${days} days: navigation → all charts drawn p50 ${results[`${days}_days`]?.p50_ms} ms (min ${times[0]}, max ${times.at(-1)}, ${LOADS} loads)`);
  }

  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ note: `${availableParallelism()} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()[0]?.toFixed(1)}; Chromium, the API and DynamoDB Local share them`, results }, null, 2)}\n`,
  );
}

await cleanups.run(main);
