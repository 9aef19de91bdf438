import { manualClock, type ManualClock } from '../clock.ts';
import { startDexcomSimulator, type DexcomSimulator } from '../dexcom-simulator.ts';
import type { TokenResponse } from '../oauth-state.ts';
import type { DexcomSimulatorOptions } from '../simulator-options.ts';

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/v1/connections/dexcom/callback';
/** The simulated clock's start: 2026-06-01T12:00:00Z. */
export const START = Date.UTC(2026, 5, 1, 12);
export const HOUR = 60 * 60_000;
export const DAY = 24 * HOUR;

export interface TestSimulator {
  sim: DexcomSimulator;
  clock: ManualClock;
}

/** A simulator on a free loopback port with a manual clock; stopped by `afterEach(stopAll)`. */
export async function startTestSimulator(options: Partial<DexcomSimulatorOptions> = {}): Promise<TestSimulator> {
  const clock = manualClock(START);
  const sim = await startDexcomSimulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], clock, ...options });
  running.push(sim);
  return { sim, clock };
}

const running: DexcomSimulator[] = [];

export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
}

/** The login step as a browser takes it, without following the redirect: the `Location` it answers with. */
export async function login(sim: DexcomSimulator, params: Record<string, string>): Promise<{ status: number; location: URL | undefined; body: string }> {
  const url = new URL('/v2/oauth2/login', sim.url);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location === null ? undefined : new URL(location), body: await response.text() };
}

/** The documented login parameters, plus `overrides`. */
export function loginParams(overrides: Record<string, string> = {}): Record<string, string> {
  return { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'offline_access', state: 'state-1', ...overrides };
}

/** A code from the login, for `loginHint` (or the default user). */
export async function authorizationCode(sim: DexcomSimulator, loginHint?: string): Promise<string> {
  const { location } = await login(sim, loginParams(loginHint === undefined ? {} : { login_hint: loginHint }));
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`the login did not redirect with a code: ${location?.toString()}`);
  return code;
}

/** `POST /v2/oauth2/token`, form-encoded. */
export async function tokenRequest(sim: DexcomSimulator, form: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<Response> {
  return fetch(new URL('/v2/oauth2/token', sim.url), {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: contentType.startsWith('application/json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
}

export function codeForm(code: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...overrides };
}

export function refreshForm(refreshToken: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: refreshToken, ...overrides };
}

/** The whole authorization-code flow for a user: the first token pair. */
export async function connect(sim: DexcomSimulator, loginHint?: string): Promise<TokenResponse> {
  const response = await tokenRequest(sim, codeForm(await authorizationCode(sim, loginHint)));
  if (response.status !== 200) throw new Error(`token exchange answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as TokenResponse;
}

/** `GET /v3/users/self/{path}` with a bearer token. */
export async function getSelf(sim: DexcomSimulator, accessToken: string | undefined, path: string, query: Record<string, string> = {}): Promise<Response> {
  const url = new URL(`/v3/users/self/${path}`, sim.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return fetch(url, accessToken === undefined ? {} : { headers: { authorization: `Bearer ${accessToken}` } });
}

/** `YYYY-MM-DDThh:mm:ss` in UTC, as Dexcom's query parameters take it. */
export function dexcomDate(millis: number): string {
  return new Date(millis).toISOString().slice(0, 19);
}

export function egvsQuery(start: number, end: number): Record<string, string> {
  return { startDate: dexcomDate(start), endDate: dexcomDate(end) };
}
