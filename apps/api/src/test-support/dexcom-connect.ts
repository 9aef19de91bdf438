import { DynamoDBItems } from '@vitals/dynamodb-core';
import { manualClock as simulatorClock, startDexcomSimulator, type DexcomSimulator, type ManualClock as SimulatorClock } from '@vitals/dexcom-simulator';
import { userTokenEntity } from '@vitals/models';
import { SyncJobRepository, UserTokenRepository } from '@vitals/repositories';
import { manualClock, type ManualClock } from './route-fixtures.ts';
import { startTestApi, type ApiResponse, type TestApi } from './test-api.ts';

/*
 * The API's connect routes against the real Dexcom simulator on loopback:
 * the API's Dexcom client is configured with the simulator's URL, exactly
 * as DEXCOM_BASE_URL would point it at Dexcom. Nothing is mocked.
 */

export const CONNECT_CLIENT_ID = 'vitals-connect-client';
/** Distinctive, so finding it in a response or a log line means it leaked. */
export const CONNECT_CLIENT_SECRET = 'connect-client-secret-Qx7!vR2#';
/** The public URL Dexcom redirects to; the tests send its path and query to the API, as a proxy in front of it would. */
export const REDIRECT_URI = 'http://vitals.test/v1/connections/dexcom/callback';
/** The API's clock starts here (the simulator's runs on its own, from the same instant). */
export const CONNECT_START = '2026-06-01T12:00:00.000Z';
export const SIMULATED_LOGINS = ['alice', 'bob'] as const;

export interface ConnectSetup {
  api: TestApi;
  /** The API's clock: state expiry, `connected_at`, the backfill job's times. */
  clock: ManualClock;
  sim: DexcomSimulator;
  simClock: SimulatorClock;
  stop(): Promise<void>;
}

/** The simulator with users `alice` and `bob`, and a test API whose Dexcom is that simulator. */
export async function startConnectSetup(): Promise<ConnectSetup> {
  const simClock = simulatorClock(Date.parse(CONNECT_START));
  const sim = await startDexcomSimulator({
    clientId: CONNECT_CLIENT_ID,
    clientSecret: CONNECT_CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    users: SIMULATED_LOGINS.map((login) => ({ login })),
    clock: simClock,
  });
  const clock = manualClock(CONNECT_START);
  const api = await startTestApi({
    clock,
    // Every log line, down to trace, is kept: none may carry a token, a code, a state or the client secret.
    env: { LOG_LEVEL: 'trace', DEXCOM_CLIENT_ID: CONNECT_CLIENT_ID, DEXCOM_CLIENT_SECRET: CONNECT_CLIENT_SECRET, DEXCOM_BASE_URL: sim.url, DEXCOM_REDIRECT_URI: REDIRECT_URI },
  });
  return {
    api,
    clock,
    sim,
    simClock,
    stop: async () => {
      await api.stop();
      await sim.stop();
    },
  };
}

/** `GET …/connections/dexcom/authorize` for `userId`: its `authorization_url`, which must be a 200. */
export async function authorizationUrl(api: TestApi, userId: string, token?: string): Promise<string> {
  const response = await api.call('GET', `/v1/users/${userId}/connections/dexcom/authorize`, { token: token ?? (await api.token(userId)) });
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { authorization_url: expect.any(String) } });
  return response.body.authorization_url as string;
}

/**
 * The browser at Dexcom's login: opens `url` on the simulator as `login`
 * (its `login_hint`) and answers where the 302 sends it — the callback's
 * path and query, to be sent to the API.
 */
export async function loginAt(url: string, login: string): Promise<string> {
  const loginUrl = new URL(url);
  loginUrl.searchParams.set('login_hint', login);
  const response = await fetch(loginUrl, { redirect: 'manual' });
  await response.text();
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`the Dexcom login answered ${response.status}, not a redirect`);
  expect(location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  const redirect = new URL(location);
  return `${redirect.pathname}${redirect.search}`;
}

/** The callback as the browser sends it: no bearer token. */
export function callback(api: TestApi, pathAndQuery: string): Promise<ApiResponse> {
  return api.call('GET', pathAndQuery, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
}

/** authorize → Dexcom login as `login` → the callback's path and query, not yet sent. */
export async function authorizedCallback(api: TestApi, userId: string, login: string): Promise<string> {
  return loginAt(await authorizationUrl(api, userId), login);
}

/** The callback path with one query parameter replaced (or removed with `undefined`). */
export function withParam(pathAndQuery: string, name: string, value: string | undefined): string {
  const url = new URL(pathAndQuery, 'http://vitals.test');
  if (value === undefined) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return `${url.pathname}${url.search}`;
}

/** The user's stored token item exactly as DynamoDB holds it. */
export async function rawTokenItem(api: TestApi, userId: string): Promise<Record<string, unknown> | undefined> {
  return api.container.get(DynamoDBItems).getItem({
    tableName: userTokenEntity.tableName(api.config.table_prefix),
    key: { user_id: userId, provider: 'dexcom' },
  });
}

/** What is stored for the user's Dexcom connection: tokens (decrypted, through the repository), the status route, the jobs. */
export async function storedFor(api: TestApi, userId: string) {
  const admin = await api.token('connect-admin', ['admin', 'sync:read', 'tokens:write']);
  const status = await api.call('GET', `/v1/users/${userId}/connections/dexcom`, { token: admin });
  const jobs = await api.container.get(SyncJobRepository).listByUser(userId, { limit: 100 });
  return {
    tokens: await api.container.get(UserTokenRepository).get(userId, 'dexcom'),
    status: status.status === 200 ? status.body : status.status,
    jobs: jobs.items,
  };
}
