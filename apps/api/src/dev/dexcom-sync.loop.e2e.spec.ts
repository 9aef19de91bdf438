import { egvsToReadingInputs } from '@vitals/dexcom-client';
import { manualClock, startDexcomSimulator, type DexcomSimulator, type ManualClock } from '@vitals/dexcom-simulator';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import type { GlucoseReading, GlucoseReadingInput, SyncJob } from '@vitals/models';
import { DEFAULT_SYNC_JOB_RETENTION_DAYS, GlucoseReadingRepository, SyncJobRepository } from '@vitals/repositories';
import { randomBytes } from 'node:crypto';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { startDevelopmentWorker, type DevelopmentWorker } from './development-worker.ts';

/*
 * The whole Dexcom loop with every part real: the API (its connect routes),
 * the Dexcom simulator on loopback, a sync worker as its own process, all on
 * the test run's DynamoDB Local. A person authorizes, Dexcom's login sends
 * the browser to the callback, the worker backfills 90 days in 30-day
 * chunks, and the next run adds only what is new.
 */

const LOGIN = 'loop-person';
const USER = 'loop-user';
const CLIENT_ID = 'loop-client';
const CLIENT_SECRET = 'loop-client-secret';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The simulator's clock starts now (to the second): the worker's own clock is real time. */
const T0 = Math.floor(Date.now() / 1_000) * 1_000;
/** A 90-day backfill is ~26,000 readings through DynamoDB Local: half a minute here, more on a loaded 2-core machine. */
const LONG_MS = 240_000;

describe('the Dexcom loop: authorize → callback → worker backfill → next run', () => {
  let sim: DexcomSimulator;
  let simClock: ManualClock;
  let api: TestApi;
  let worker: DevelopmentWorker;
  const workerLines: string[] = [];

  beforeAll(async () => {
    simClock = manualClock(T0);
    const env = { DEXCOM_CLIENT_ID: CLIENT_ID, DEXCOM_CLIENT_SECRET: CLIENT_SECRET, SYNC_INTERVAL_MS: '1000', SYNC_BACKFILL_DAYS: '90' };
    const redirectUri = 'http://vitals.test/v1/connections/dexcom/callback';
    sim = await startDexcomSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [redirectUri],
      users: [{ login: LOGIN, timeZone: 'America/New_York', displayDevice: 'receiver' }],
      clock: simClock,
    });
    const tokenKey = randomBytes(32).toString('base64');
    api = await startTestApi({ env: { ...env, DEXCOM_BASE_URL: sim.url, DEXCOM_REDIRECT_URI: redirectUri, TOKEN_ENCRYPTION_KEY: tokenKey } });
    worker = startDevelopmentWorker(
      {
        ...env,
        DEXCOM_BASE_URL: sim.url,
        DEXCOM_REDIRECT_URI: redirectUri,
        TOKEN_ENCRYPTION_KEY: tokenKey,
        DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        TABLE_PREFIX: api.config.table_prefix,
        WORKER_HTTP_PORT: '0',
        // Timeouts are not what this test is about: a loaded machine may take longer than 10 s for a 30-day answer.
        DEXCOM_TIMEOUT_MS: '60000',
        WORKER_JOB_LEASE_MS: '150000',
        TOKEN_REFRESH_LEASE_MS: '150000',
        WORKER_IDLE_MIN_MS: '50',
        WORKER_IDLE_MAX_MS: '250',
        LOG_LEVEL: 'warn',
      },
      (line) => workerLines.push(line),
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await sim?.stop();
  });

  const jobs = async () => (await api.container.get(SyncJobRepository).listByUser(USER, { limit: 100 })).items;
  const readings = async () => {
    const all: GlucoseReading[] = [];
    for await (const reading of api.container.get(GlucoseReadingRepository).iterateRange(USER)) all.push(reading);
    return all;
  };
  /** What the store must hold: the simulator's records for the window as it answers them now, one per instant (the smallest record id). */
  const expected = (start: number, end: number) => {
    const byInstant = new Map<string, GlucoseReadingInput>();
    for (const input of egvsToReadingInputs(sim.egvs(LOGIN, start, end)).inputs) {
      const other = byInstant.get(input.timestamp);
      if (other === undefined || (input.dexcom?.record_id ?? '') < (other.dexcom?.record_id ?? '')) byInstant.set(input.timestamp, input);
    }
    return [...byInstant.values()].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  };
  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = LONG_MS - 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen; the worker said:\n${workerLines.join('\n')}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  const completed = async (count: number) =>
    until(`${count} completed runs`, async () => {
      const done = (await jobs()).filter((job) => job.status === 'completed');
      return done.length >= count ? done.sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at)) : undefined;
    });

  let backfill: SyncJob;

  it('when the person authorizes and Dexcom redirects to the callback, the connection is made and the 90-day backfill scheduled', async () => {
    const authorize = await api.call('GET', `/v1/users/${USER}/connections/dexcom/authorize`, { token: await api.token(USER) });
    expect(authorize.status).toBe(200);
    const login = new URL(authorize.body.authorization_url as string);
    login.searchParams.set('login_hint', LOGIN);
    const redirect = await fetch(login, { redirect: 'manual' });
    const location = new URL(redirect.headers.get('location') as string);
    const callback = await api.call('GET', `${location.pathname}${location.search}`);
    expect(callback.status).toBe(200);
    expect(callback.headers.get('content-type')).toMatch(/^text\/html/);
    [backfill] = (await jobs()) as [SyncJob];
    expect(Date.parse(backfill.window_end) - Date.parse(backfill.window_start)).toBe(90 * DAY);
  });

  it('when the worker has run the backfill, the store holds exactly the simulator\'s readings, each once, LOW/HIGH, every trend and the display offset kept', async () => {
    const [first] = await completed(1);
    expect(first?.job_id).toBe(backfill.job_id);
    const stored = await readings();
    const want = expected(Date.parse(backfill.window_start), Date.parse(backfill.window_end));
    expect(want.length).toBeGreaterThan(20_000);
    expect(stored.map((reading) => reading.timestamp)).toEqual(want.map((input) => input.timestamp));
    stored.forEach((reading, index) => expect(reading).toMatchObject(want[index] as object));
    expect(first?.records_synced).toBe(want.length);
    // A finished job expires: the chain finishes one every run.
    expect(first?.expires_at).toBe(Math.floor(Date.parse(first?.completed_at as string) / 1_000) + DEFAULT_SYNC_JOB_RETENTION_DAYS * 86_400);
    // The simulated sensor's range: both ends stored as the Clarity import stores them.
    expect(stored.some((reading) => reading.glucose_value === 39)).toBe(true);
    expect(stored.some((reading) => reading.glucose_value === 401)).toBe(true);
    expect(new Set(stored.map((reading) => reading.dexcom?.trend)).size).toBeGreaterThanOrEqual(10);
    // The reading's instant is Dexcom's systemTime (UTC), not the displayTime in New York's offset.
    const oldest = stored[0] as GlucoseReading;
    const [record] = sim.egvs(LOGIN, Date.parse(oldest.timestamp), Date.parse(oldest.timestamp));
    expect([-4 * HOUR, -5 * HOUR]).toContain(Date.parse(`${record?.displayTime}Z`) - Date.parse(`${record?.systemTime}Z`));
    expect(new Date(`${record?.systemTime}Z`).toISOString()).toBe(oldest.timestamp);
    const status = await api.call('GET', `/v1/users/${USER}/connections/dexcom`, { token: await api.token(USER) });
    expect(status.body).toMatchObject({ connected: true, newest_reading_at: want.at(-1)?.timestamp, last_error: null });
  }, LONG_MS);

  it('when an hour more of data is published, the next run adds only the new readings and corrects revised ones', async () => {
    const before = await readings();
    const newest = before.at(-1)?.timestamp as string;
    const runsBefore = (await jobs()).filter((job) => job.status === 'completed').length;
    simClock.advance(HOUR);
    // Runs every second; wait for one that started after the clock moved, then one more for good measure.
    const later = await completed(runsBefore + 2);
    const stored = await readings();
    const want = expected(Date.parse(backfill.window_start), simClock.now());
    expect(stored.map((reading) => reading.timestamp)).toEqual(want.map((input) => input.timestamp));
    stored.forEach((reading, index) => expect(reading).toMatchObject(want[index] as object));
    const added = stored.filter((reading) => reading.timestamp > newest);
    expect(added.length).toBeGreaterThanOrEqual(10);
    // Every reading written for the first time after the backfill is a new one: nothing old was stored again.
    const firstStoredLater = stored.filter((reading) => reading.created_at > (later[0]?.completed_at as string));
    expect(firstStoredLater.every((reading) => reading.timestamp > newest)).toBe(true);
    expect(later.slice(1).reduce((sum, job) => sum + job.records_synced, 0)).toBeLessThanOrEqual(added.length + 24);
    expect(workerLines.join('\n')).not.toMatch(/"level":(50|60)/);
  }, LONG_MS);
});
