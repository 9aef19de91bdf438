/// <reference lib="dom" />
// (the functions handed to page.evaluate and friends run in the browser)
import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { browserOutput, launchChromium } from '../test-support/browser.ts';
import { drawnPoints, openDashboard, signIn, tableRows, type DashboardPage } from '../test-support/dashboard-page.ts';
import { putEntry } from '../test-support/health-log-entries.ts';
import { DAY_MS, cgmSeries, postReadings, readingBody, walkPages } from '../test-support/route-fixtures.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';

/*
 * The dashboard in a real headless Chromium against the API on loopback over
 * DynamoDB Local: every chart is checked against the JSON the API answered
 * the page (its table view and the number of points it drew), never against
 * a snapshot of itself.
 */
const OWNER = 'patient';
const VISITOR = 'visitor';
const ZONE = 'Europe/Berlin';
const NO_DATA = '–';

const fixed = (value: number | null, digits = 1) => (value === null ? NO_DATA : value.toFixed(digits));
const dateIn = (epochMs: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(epochMs);
const utcDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);
/** The instants in [fromMs, toMs) where the date in ZONE changes (whole hours: ZONE's offsets are). */
function localMidnights(fromMs: number, toMs: number): number[] {
  const midnights: number[] = [];
  for (let hour = Math.ceil(fromMs / 3_600_000) * 3_600_000; hour < toMs; hour += 3_600_000) {
    if (dateIn(hour) !== dateIn(hour - 1)) midnights.push(hour);
  }
  return midnights;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the API's JSON, as the page received it */
type Json = any;

describe('the dashboard at /app/', () => {
  let api: TestApi;
  let browser: Browser;
  const opened: DashboardPage[] = [];
  const open = async (options: Parameters<typeof openDashboard>[2] = {}) => {
    const dashboard = await openDashboard(browser, api.url, { timezoneId: ZONE, ...options });
    opened.push(dashboard);
    return dashboard;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    api = await startTestApi({ env: { HEALTH_LOG_OWNER: OWNER } });
    // 16 days every 5 minutes up to now, with a 6-hour gap, values swinging 45..320 mg/dL.
    const start = new Date(Date.now() - 16 * DAY_MS).toISOString();
    const series = cgmSeries(start, 16 * 288, (i) => Math.round(180 + 135 * Math.sin(i / 40)));
    await postReadings(api, OWNER, series.filter((_, i) => i < 2000 || i >= 2072));
    // And one at each local midnight: where the page cuts the window into ranges, a reading belongs to the new day.
    await postReadings(api, OWNER, localMidnights(Date.now() - 16 * DAY_MS, Date.now()).map((epochMs) => readingBody(new Date(epochMs).toISOString(), 99)));
    const token = await api.token(OWNER, ['health:write']);
    const day = (daysAgo: number) => utcDate(Date.now() - daysAgo * DAY_MS);
    await putEntry(api, token, day(2), '0800', { medications: { ibuprofen: '400mg' }, pain: { back: '6-7' }, o2: '96', bpr: '128/82', sleep: '7:10' });
    await putEntry(api, token, day(2), '2000', { medications: { ibuprofen: '400mg', paracetamol: '1g' }, pain: { back: '4' }, activities: { walk: 25 } });
    await putEntry(api, token, day(5), '0900', { pain: { knee: '3' }, activities: { physio: 40 }, o2: '98', bpr: '121/75', sleep: '6:30' });
  }, 120_000);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dashboard) => dashboard.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('when signed in with a JWT, draws every chart from the JSON the API answered, without console errors', async () => {
    const dashboard = await open();
    const { page } = dashboard;
    expect(await signIn(dashboard, await api.token(OWNER))).toBe('ready');

    const stats: Json = dashboard.responses.get(`/v1/users/${OWNER}/readings/stats`);
    const readings: Json[] = (dashboard.responses.get(`/v1/users/${OWNER}/readings`) as Json).items;
    const summaries: Json[] = (dashboard.responses.get('/v1/health/summaries') as Json).items;
    expect(stats.time_zone).toBe(ZONE);
    expect(stats.count).toBeGreaterThan(3000);

    // Key metrics and time in ranges.
    expect(await page.textContent('[data-metric=mean] dd')).toBe(`${fixed(stats.mean)} mg/dL`);
    expect(await page.textContent('[data-metric=count] dd')).toBe(String(stats.count));
    const ranges = stats.time_in_ranges;
    expect((await tableRows(page, 'time-in-ranges')).map((row) => row[1])).toEqual(
      ['very_high', 'high', 'in_range', 'low', 'very_low'].map((key) => fixed(ranges[key])),
    );
    expect(await page.textContent('[data-target=time_in_range]')).toContain(`${fixed(ranges.in_range)} %`);

    // The AGP: every hour's five percentiles, and one drawn point per non-null percentile.
    const hourly: Json[] = stats.hourly;
    expect(await tableRows(page, 'agp')).toEqual(
      hourly.map((row) => [`${String(row.hour).padStart(2, '0')}:00`, ...['p5', 'p25', 'p50', 'p75', 'p95'].map((key) => fixed(row[key]))]),
    );
    const percentiles = hourly.flatMap((row) => [row.p5, row.p25, row.p50, row.p75, row.p95]).filter((value) => value !== null);
    expect(percentiles).toHaveLength(24 * 5);
    expect(await drawnPoints(page, '#agp-chart')).toBe(percentiles.length);

    // The page fetched the window's readings in several ranges: together, exactly the readings the API lists for the
    // stats window [from, to) when asked in one go, none missing or doubled.
    const whole = await walkPages<Json>(
      api,
      `/v1/users/${OWNER}/readings?from=${stats.from}&to=${new Date(Date.parse(stats.to) - 1).toISOString()}&limit=1000`,
      await api.token(OWNER),
    );
    expect(readings.map((reading) => reading.timestamp).sort()).toEqual(whole.items.map((reading) => reading.timestamp));

    // Daily traces: each local day's chart plotted exactly that day's readings.
    const byDay = new Map<string, number[]>();
    for (const reading of readings) {
      const date = dateIn(Date.parse(reading.timestamp));
      byDay.set(date, [...(byDay.get(date) ?? []), reading.glucose_value]);
    }
    const dailyRows = await tableRows(page, 'daily-traces');
    expect(dailyRows.length).toBeGreaterThanOrEqual(14);
    for (const [date, count, lowest, , highest] of dailyRows) {
      const values = byDay.get(date as string) ?? [];
      expect([date, count, lowest, highest]).toEqual([
        date,
        String(values.length),
        values.length === 0 ? NO_DATA : String(Math.min(...values)),
        values.length === 0 ? NO_DATA : String(Math.max(...values)),
      ]);
      expect(await drawnPoints(page, `.day-chart[data-date="${date}"]`)).toBe(values.length);
    }
    expect(dailyRows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(readings.length);

    // The recovery log: each day the API summarised, each row's plotted values.
    expect(summaries.map((summary) => summary.date)).toHaveLength(2);
    expect(await tableRows(page, 'recovery-log')).toEqual(
      summaries.map((s) => [
        s.date,
        String(s.max_pain_level),
        fixed(s.mean_max_pain),
        Object.entries(s.medication_doses).map(([name, count]) => `${name} ${count}×`).join(', ') || NO_DATA,
        Object.entries(s.activity_minutes).map(([name, minutes]) => `${name} ${minutes} min`).join(', ') || NO_DATA,
        `${fixed(s.mean_systolic, 0)}/${fixed(s.mean_diastolic, 0)}`,
        String(s.min_o2_percent),
        fixed(s.sleep_minutes / 60),
      ]),
    );
    const present = (read: (s: Json) => unknown) => summaries.filter((s) => read(s) !== null && read(s) !== undefined).length;
    expect(await drawnPoints(page, '[data-row=pain]')).toBe(present((s) => s.max_pain_level) + present((s) => s.mean_max_pain));
    expect(await drawnPoints(page, '[data-row=medications]')).toBe(summaries.reduce((sum, s) => sum + Object.keys(s.medication_doses).length, 0));
    expect(await drawnPoints(page, '[data-row=blood-pressure]')).toBe(present((s) => s.mean_systolic) + present((s) => s.mean_diastolic));
    expect(await drawnPoints(page, '[data-row=o2]')).toBe(present((s) => s.min_o2_percent));
    expect(await drawnPoints(page, '[data-row=sleep]')).toBe(present((s) => s.sleep_minutes));

    // The token is in session storage only, never in the address.
    expect(page.url()).toBe(`${api.url}/app/`);
    expect(await page.evaluate(() => sessionStorage.getItem('vitals.user_id'))).toBe(OWNER);

    await page.screenshot({ path: browserOutput('dashboard-desktop.png'), fullPage: true });
    expect(dashboard.errors).toEqual([]);
  });

  it('when on a phone-sized screen, fits its width and saves a screenshot', async () => {
    const dashboard = await open({ viewport: { width: 390, height: 844 }, isMobile: true });
    const { page } = dashboard;
    expect(await signIn(dashboard, await api.token(OWNER))).toBe('ready');
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await page.screenshot({ path: browserOutput('dashboard-phone.png'), fullPage: true });
    expect(dashboard.errors).toEqual([]);
  });

  it('when the window changes to 30 days, asks the API for 30 days and redraws', async () => {
    const dashboard = await open();
    const { page } = dashboard;
    expect(await signIn(dashboard, await api.token(OWNER))).toBe('ready');
    await page.selectOption('#window-days', '30');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelectorAll('.day-chart').length >= 30);
    await dashboard.settled();
    const stats: Json = dashboard.responses.get(`/v1/users/${OWNER}/readings/stats`);
    expect(Date.parse(stats.to) - Date.parse(stats.from)).toBe(30 * DAY_MS);
    expect(await tableRows(page, 'agp')).toEqual(
      stats.hourly.map((row: Json) => [`${String(row.hour).padStart(2, '0')}:00`, ...['p5', 'p25', 'p50', 'p75', 'p95'].map((key) => fixed(row[key]))]),
    );
    // A reload keeps the tab's token and window.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    expect(await page.inputValue('#window-days')).toBe('30');
    expect(await page.locator('.day-chart').count()).toBeGreaterThanOrEqual(30);
    expect(dashboard.errors).toEqual([]);
  });

  it('when signed in with a personal access token alone, learns its user from GET /v1/me and draws the page', async () => {
    const created = await api.call('POST', `/v1/users/${OWNER}/access-tokens`, {
      token: await api.token(OWNER),
      body: { name: 'dashboard', scopes: ['readings:read', 'health:read'] },
    });
    expect(created.status).toBe(201);
    const dashboard = await open();
    expect(await signIn(dashboard, created.body.token)).toBe('ready');
    expect(dashboard.responses.get('/v1/me')).toEqual({ user_id: OWNER, scopes: ['health:read', 'readings:read'], credential: 'access_token' });
    expect(await dashboard.page.evaluate(() => sessionStorage.getItem('vitals.user_id'))).toBe(OWNER);
    const stats: Json = dashboard.responses.get(`/v1/users/${OWNER}/readings/stats`);
    expect(await dashboard.page.textContent('[data-metric=count] dd')).toBe(String(stats.count));
    expect(await dashboard.page.getAttribute('#health', 'data-available')).toBe('true');
    expect(dashboard.errors).toEqual([]);
  });

  it('when the token may not read readings, says so and stays on the sign-in form', async () => {
    const created = await api.call('POST', `/v1/users/${OWNER}/access-tokens`, {
      token: await api.token(OWNER),
      body: { name: 'log only', scopes: ['health:read'] },
    });
    const dashboard = await open();
    expect(await signIn(dashboard, created.body.token)).toBe('signed-out');
    expect(await dashboard.page.textContent('#sign-in-problem')).toBe(
      `The token may not read the readings of user "${OWNER}" (This token lacks the scope readings:read).`,
    );
    expect(dashboard.errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
  });

  it.each([
    ['a wrong token', async () => 'not-a-token'],
    ['an expired token', async () => api.token(OWNER, undefined, -60)],
    ['an unknown access token', async () => `vat_${'A'.repeat(43)}`],
  ])('when signed in with %s, says it was not accepted and stays on the sign-in form', async (_name, token) => {
    const dashboard = await open();
    const { page } = dashboard;
    expect(await signIn(dashboard, await token())).toBe('signed-out');
    expect(await page.textContent('#sign-in-problem')).toMatch(/^The token was not accepted .*wrong, expired or revoked: paste a current one\.$/);
    expect(await page.isVisible('#sign-in-problem')).toBe(true);
    expect(await page.isHidden('#dashboard')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('vitals.token'))).toBeNull();
    // The browser reports the refused calls themselves as console errors: nothing else may be among them.
    expect(dashboard.errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
  });

  it('when the token belongs to someone other than the recovery log owner, says so instead of the log', async () => {
    const dashboard = await open();
    const { page } = dashboard;
    expect(await signIn(dashboard, await api.token(VISITOR))).toBe('ready');
    expect(await page.textContent('#health-note')).toBe('The recovery log is not shown: it belongs to one person, and this token is not theirs.');
    expect(await page.getAttribute('#health', 'data-available')).toBe('false');
    expect(await page.textContent('[data-metric=count] dd')).toBe('0');
    expect(dashboard.errors.filter((error) => !/status of 404/.test(error))).toEqual([]);
  });

  it('when the recovery log holds nothing of a kind, says so in place of its chart; holding nothing at all, draws no chart', async () => {
    const dashboard = await open();
    const { page } = dashboard;
    // An edge the fixture does not have, made from the API's own answer: no medication doses and no activities on any day.
    let emptied: (summaries: Json[]) => Json[] = (summaries) => summaries.map((summary) => ({ ...summary, medication_doses: {}, activity_minutes: {} }));
    await page.route('**/v1/health/summaries?*', async (route) => {
      const answer = await route.fetch();
      const body: Json = await answer.json();
      await route.fulfill({ response: answer, json: { ...body, items: emptied(body.items) } });
    });
    expect(await signIn(dashboard, await api.token(OWNER))).toBe('ready');
    await dashboard.settled();
    for (const row of ['medications', 'activities']) {
      expect(await page.textContent(`[data-row=${row}]`)).toBe('None in this window.');
      expect(await drawnPoints(page, `[data-row=${row}]`)).toBe(0);
    }
    expect(await drawnPoints(page, '[data-row=pain]')).toBeGreaterThan(0);

    emptied = () => [];
    await page.selectOption('#window-days', '30');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelectorAll('.day-chart').length >= 30);
    await dashboard.settled();
    expect(await page.textContent('#health-note')).toBe('No recovery log entries in this window.');
    expect(await page.locator('#health-chart > *').count()).toBe(0);
    expect(await tableRows(page, 'recovery-log')).toEqual([]);
    expect(dashboard.errors).toEqual([]);
  });

  it('when printed, gives one page with the metrics, time in ranges and AGP, and no controls', async () => {
    const dashboard = await open();
    const { page } = dashboard;
    expect(await signIn(dashboard, await api.token(OWNER))).toBe('ready');
    await page.emulateMedia({ media: 'print' });
    for (const shown of ['#metrics', '#tir', '#agp', '.report-title']) expect(await page.isVisible(shown)).toBe(true);
    for (const hidden of ['#toolbar', '#daily', '#health']) expect(await page.isHidden(hidden)).toBe(true);
    const pdf = browserOutput('agp-report.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    const pages = readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages).toHaveLength(1);
  });

  it('serves the page under the API CSP, and the chart library from its package', async () => {
    const page = await fetch(`${api.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const library = await fetch(`${api.url}/app/vendor/uPlot.esm.js`);
    expect([library.status, library.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/javascript/)]);
    expect(await library.text()).toContain('export { uPlot as default }');
    expect((await fetch(`${api.url}/app/node_modules/uplot/package.json`)).status).toBe(404);
  });
});
