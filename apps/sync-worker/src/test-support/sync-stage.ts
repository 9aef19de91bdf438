import { DexcomClient, type DexcomTokenSet, type FetchLike } from '@vitals/dexcom-client';
import { DynamoDBTables, createLogger } from '@vitals/dynamodb-core';
import { manualClock, startDexcomSimulator, type DexcomSimulator, type DexcomSimulatorOptions, type ManualClock } from '@vitals/dexcom-simulator';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import type { GlucoseReading, ProviderConnection, SyncJob, UserToken } from '@vitals/models';
import { ConnectionService, GlucoseReadingRepository, SyncJobRepository, UserTokenRepository, ensureTables, type Clock } from '@vitals/repositories';
import type { Container } from 'inversify';
import { randomBytes, randomUUID } from 'node:crypto';
import { workerConfigFromEnv } from '../config/worker-config.ts';
import { createWorkerContainer } from '../worker/worker-container.ts';
import { TokenTap } from './token-tap.ts';

/*
 * A stage for the worker's tests: the Dexcom simulator on loopback with a
 * manual clock, tables of their own on the test run's DynamoDB Local, the
 * environment a worker (in process or as a child process) runs with, and the
 * repositories to connect users and read back what the workers did. Users are
 * connected through the simulator's real OAuth flow.
 */

export const CLIENT_ID = 'vitals-worker-test';
/** Distinctive, so that finding it anywhere means it leaked. */
export const CLIENT_SECRET = 'worker test secret Hq3!&=+/?';
export const REDIRECT_URI = 'http://127.0.0.1:3000/v1/connections/dexcom/callback';
export const PROVIDER = 'dexcom';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface StageOptions {
  /** The simulator's options beyond the client (its clock is the stage's). */
  simulator?: Partial<DexcomSimulatorOptions>;
  /** Environment for the workers on top of the stage's (schedule, leases, …). */
  env?: Record<string, string>;
  /** Where the stage's clock starts; default now, to the minute. */
  start?: number;
}

export interface SyncStage {
  sim: DexcomSimulator;
  /** The simulator's clock; `clock` reads the same time as a repositories clock. */
  simClock: ManualClock;
  clock: Clock;
  /** What a worker of this stage runs with. */
  env: Record<string, string>;
  container: Container;
  connections: ConnectionService;
  jobs: SyncJobRepository;
  readings: GlucoseReadingRepository;
  tokens: UserTokenRepository;
  /** Every token the simulator issued through the stage's own client (the connects). */
  tap: TokenTap;
  /** Adds `login` to the simulator and connects it as Vitals user `login` through the OAuth flow. */
  connect(login: string, historyDays?: number): Promise<{ connection: ProviderConnection; job: SyncJob }>;
  /** The record ids the simulator serves for `login` over [start, end] now: what a complete sync stores. */
  expectedRecordIds(login: string, start: string, end: string): string[];
  /** Every reading stored for `login`. */
  stored(login: string): Promise<GlucoseReading[]>;
  /** Every job of `login`, by scheduled_at. */
  jobsOf(login: string): Promise<SyncJob[]>;
  /** The job as stored now; throws when there is none. */
  job(jobId: string): Promise<SyncJob>;
  /** `login`'s Dexcom connection as stored now; throws when there is none. */
  connection(login: string): Promise<ProviderConnection>;
  /** `login`'s token set, decrypted; throws when there is none. */
  tokenSet(login: string): Promise<UserToken>;
  stop(): Promise<void>;
}

/** Starts a stage; stop it with `stage.stop()`. */
export async function startSyncStage(options: StageOptions = {}): Promise<SyncStage> {
  const start = options.start ?? Math.floor(Date.now() / MINUTE) * MINUTE;
  const simClock = manualClock(start);
  const clock: Clock = { now: () => new Date(simClock.now()) };
  const sim = await startDexcomSimulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    users: [],
    clock: simClock,
    ...options.simulator,
  });
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_PREFIX: `wk-${randomUUID().slice(0, 8)}-`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DEXCOM_BASE_URL: sim.url,
    DEXCOM_CLIENT_ID: CLIENT_ID,
    DEXCOM_CLIENT_SECRET: CLIENT_SECRET,
    DEXCOM_REDIRECT_URI: REDIRECT_URI,
    // Far beyond what the simulator takes on a loaded machine: a spec that is about timeouts sets its own
    // (the refresh lease must be at least twice the timeout).
    DEXCOM_TIMEOUT_MS: '5000',
    WORKER_JOB_LEASE_MS: '15000',
    TOKEN_REFRESH_LEASE_MS: '10000',
    TOKEN_REFRESH_POLL_MS: '50',
    WORKER_IDLE_MIN_MS: '50',
    WORKER_IDLE_MAX_MS: '250',
    WORKER_HTTP_PORT: '0',
    SYNC_BACKFILL_DAYS: '1',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  let container: Awaited<ReturnType<typeof createWorkerContainer>>;
  try {
    container = await createWorkerContainer(workerConfigFromEnv(env), createLogger({ level: 'silent' }), clock);
    await ensureTables(container.get(DynamoDBTables), { prefix: env['TABLE_PREFIX'] as string });
  } catch (error) {
    // A stage that cannot start (a spec's env the config refuses) must not leave its simulator listening: Jest would never exit.
    await sim.stop();
    throw error;
  }

  const tap = new TokenTap();
  const client = new DexcomClient(
    { baseUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, timeoutMs: 5_000 },
    { now: () => clock.now(), fetch: tap.fetch() },
  );
  const connections = container.get(ConnectionService);
  const jobs = container.get(SyncJobRepository);
  const readings = container.get(GlucoseReadingRepository);

  return {
    sim,
    simClock,
    clock,
    env,
    container,
    connections,
    jobs,
    readings,
    tokens: container.get(UserTokenRepository),
    tap,
    connect: async (login, historyDays = 0.25) => {
      sim.users.add({ login, historyDays });
      const tokens = await oauthTokens(client, login);
      const { access_token, refresh_token, token_type, scope, expires_at } = tokens;
      return connections.connect(login, PROVIDER, { access_token, refresh_token, token_type, scope, expires_at });
    },
    expectedRecordIds: (login, from, to) => sim.egvs(login, Date.parse(from), Date.parse(to)).map((record) => record.recordId).sort(),
    stored: async (login) => {
      const all: GlucoseReading[] = [];
      for await (const reading of readings.iterateRange(login)) all.push(reading);
      return all;
    },
    jobsOf: async (login) => {
      const all: SyncJob[] = [];
      let cursor: string | null = null;
      do {
        const page = await jobs.listByUser(login, { limit: 1000, cursor });
        all.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor !== null);
      return all;
    },
    job: async (jobId) => present(await jobs.get(jobId), `job ${jobId}`),
    connection: async (login) => present(await connections.get(login, PROVIDER), `the connection of ${login}`),
    tokenSet: async (login) => present(await container.get(UserTokenRepository).get(login, PROVIDER), `the token set of ${login}`),
    stop: async () => {
      await container.unbindAll();
      await sim.stop();
    },
  };
}

/**
 * The OAuth flow as the API's connect routes run it: the login URL the client
 * builds, the simulator's login with `login_hint` naming the account, the code
 * from the redirect, and the code exchange.
 */
export async function oauthTokens(client: DexcomClient, login: string): Promise<DexcomTokenSet> {
  const state = `state-${randomUUID()}`;
  const url = new URL(client.authorizationUrl(state));
  url.searchParams.set('login_hint', login);
  const response = await fetch(url, { redirect: 'manual' });
  await response.text();
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`the simulator login answered ${response.status}, not a redirect`);
  const redirect = new URL(location);
  const code = redirect.searchParams.get('code');
  if (code === null || redirect.searchParams.get('state') !== state) throw new Error('the login redirect carries no code or lost the state');
  return client.exchangeCode(code);
}

/** `value`, which must be there. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** Runs `task` over `items`, `width` at a time. */
export async function inBatches<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let at = 0; at < items.length; at += width) results.push(...(await Promise.all(items.slice(at, at + width).map(task))));
  return results;
}

/** Polls `probe` every 100 ms until it holds; throws `what` when `timeoutMs` passes first. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

export type { FetchLike };
