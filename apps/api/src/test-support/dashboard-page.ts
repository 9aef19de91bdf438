/// <reference lib="dom" />
// (the functions handed to page.evaluate and friends run in the browser)
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

/** A page of the dashboard with what went wrong in it (console errors, page errors) collected. */
export interface DashboardPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /**
   * The JSON bodies of the API calls the page made, by path (without query):
   * the last one, but for a list (`{ items }`) every item the page received
   * for that path since it opened, in the order the responses came.
   */
  responses: Map<string, unknown>;
  /** Resolves once every response seen so far has been read. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  isMobile?: boolean;
  timezoneId?: string;
}

/** Opens `/app/` in a new context; every API JSON response the page reads is kept for the test to check the page against. */
export async function openDashboard(browser: Browser, baseUrl: string, options: OpenOptions = {}): Promise<DashboardPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    timezoneId: options.timezoneId ?? 'UTC',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const responses = new Map<string, unknown>();
  const pending: Promise<void>[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/v1/') || !/json/.test(response.headers()['content-type'] ?? '')) return;
    pending.push(
      response.json().then(
        (body: unknown) => {
          const key = url.pathname;
          const previous = responses.get(key);
          // A list (fetched page by page, or as several ranges): every item of every response, in the order they came.
          const items = (body as { items?: unknown[] }).items;
          if (items !== undefined && previous !== undefined) {
            (previous as { items: unknown[] }).items.push(...items);
          } else {
            responses.set(key, items === undefined ? body : { ...(body as object), items: [...items] });
          }
        },
        () => undefined,
      ),
    );
  });
  await page.goto(`${baseUrl}/app/`);
  return {
    page,
    context,
    errors,
    responses,
    settled: async () => {
      await Promise.all(pending);
    },
    close: async () => {
      await Promise.all(pending);
      await context.close();
    },
  };
}

/** Pastes the token, submits, and waits until the page says all is drawn or refused. */
export async function signIn(dashboard: DashboardPage, token: string): Promise<string> {
  const { page } = dashboard;
  await page.fill('#token', token);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForFunction(() => ['ready', 'signed-out', 'failed'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 60_000 });
  await dashboard.settled();
  return page.evaluate(() => document.body.dataset.state ?? '');
}

/** The rows of a table view, each cell's text. */
export function tableRows(page: Page, name: string): Promise<string[][]> {
  return page.$$eval(`table[data-table="${name}"] tbody tr`, (rows) =>
    rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? '')),
  );
}

/** `data-drawn-points` of the element `selector` names: how many values its chart plotted. */
export async function drawnPoints(page: Page, selector: string): Promise<number | undefined> {
  const value = await page.getAttribute(selector, 'data-drawn-points');
  return value === null ? undefined : Number(value);
}
