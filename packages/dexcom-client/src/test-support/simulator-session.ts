import {
  manualClock,
  startDexcomSimulator,
  type DexcomSimulator,
  type DexcomSimulatorOptions,
  type EgvRecord as SimulatedEgvRecord,
  type ManualClock,
} from '@vitals/dexcom-simulator';
import { inspect } from 'node:util';
import { DexcomClient, type DexcomTokenSet } from '../dexcom-client.ts';
import { DexcomError } from '../dexcom-error.ts';

/*
 * The real client against the real Dexcom simulator on loopback: no mock, no
 * canned answer. The simulator is an independent reading of Dexcom's
 * documentation, so whatever the two agree on here is what both read there.
 */

export const SIM_CLIENT_ID = 'vitals-sim-client';
/** Distinctive enough that finding it anywhere means it leaked. */
export const SIM_CLIENT_SECRET = 'sim client secret Zq8v!&=+/?42';
export const SIM_REDIRECT_URI = 'http://127.0.0.1:3000/v1/connections/dexcom/callback';
/** The simulated clock's start: 2026-06-01T12:00:00Z. */
export const SIM_START = Date.UTC(2026, 5, 1, 12);
/** The client's timeout where a test does not choose one: room for a 30-day answer on a loaded 2-core machine. */
const DEFAULT_TEST_TIMEOUT_MS = 30_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface SimulatorSession {
  sim: DexcomSimulator;
  clock: ManualClock;
  /** A client of the simulator whose clock is the simulator's. */
  client: DexcomClient;
  /** Another client of the same simulator: `timeoutMs` and credentials of its own. */
  clientWith(config: { timeoutMs?: number; clientSecret?: string }): DexcomClient;
  /** The login step as a browser takes it for `login`: the code the redirect carries (and the state checked). */
  authorize(login: string, state?: string): Promise<string>;
  /** The whole flow for `login`: the first token set. */
  connect(login: string): Promise<DexcomTokenSet>;
}

const running: DexcomSimulator[] = [];

/** A simulator on a free loopback port with a manual clock, and a client of it; stopped by `afterAll(stopSimulatorSessions)`. */
export async function startSimulatorSession(
  options: Partial<DexcomSimulatorOptions> = {},
  clientOptions: { timeoutMs?: number } = {},
): Promise<SimulatorSession> {
  const clock = manualClock(SIM_START);
  const sim = await startDexcomSimulator({
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    redirectUris: [SIM_REDIRECT_URI],
    clock,
    ...options,
  });
  running.push(sim);
  const clientWith = ({ timeoutMs = clientOptions.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, clientSecret = SIM_CLIENT_SECRET }: { timeoutMs?: number; clientSecret?: string }) =>
    new DexcomClient(
      { baseUrl: sim.url, clientId: SIM_CLIENT_ID, clientSecret, redirectUri: SIM_REDIRECT_URI, timeoutMs },
      { now: () => new Date(clock.now()) },
    );
  const client = clientWith({});
  const authorize = async (login: string, state = `state-${login}`): Promise<string> => {
    const location = await followLogin(client.authorizationUrl(state), login);
    if (location.searchParams.get('state') !== state) throw new Error(`the login redirect lost the state: ${location.toString()}`);
    const code = location.searchParams.get('code');
    if (code === null) throw new Error(`the login redirect carries no code: ${location.toString()}`);
    return code;
  };
  return {
    sim,
    clock,
    client,
    clientWith,
    authorize,
    connect: async (login) => client.exchangeCode(await authorize(login)),
  };
}

export async function stopSimulatorSessions(): Promise<void> {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
}

/**
 * Opens a login URL the client built, naming the simulated user with
 * `login_hint` (the simulator's stand-in for the person choosing an account),
 * and answers where the 302 sends the browser.
 */
export async function followLogin(authorizationUrl: string, login: string): Promise<URL> {
  const url = new URL(authorizationUrl);
  url.searchParams.set('login_hint', login);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  await response.text();
  if (response.status !== 302 || location === null) throw new Error(`the login answered ${response.status}, not a redirect`);
  return new URL(location);
}

/**
 * A record's `systemTime` as the UTC instant it names, read here without the
 * client's code: an offset when there is one, else UTC (Dexcom: systemTime is UTC).
 */
export function systemInstant(record: Pick<SimulatedEgvRecord, 'systemTime'>): string {
  const text = /(Z|[+-]\d{2}:\d{2})$/.test(record.systemTime) ? record.systemTime : `${record.systemTime}Z`;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`the simulator sent a systemTime that is no instant: ${record.systemTime}`);
  return new Date(ms).toISOString();
}

/** The error a promise rejects with, which must be a `DexcomError`. */
export async function rejectionOf(promise: Promise<unknown>): Promise<DexcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

/** Every way an error is shown: message, string, stack, JSON, inspection. */
export function renderingsOf(error: DexcomError): string {
  return [
    error.message,
    String(error),
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify(error.details),
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, customInspect: false, showHidden: true }),
  ].join('\n');
}

/** The secrets (and their URL-encoded forms) that appear in an error's renderings. */
export function leakedSecrets(error: DexcomError, secrets: readonly string[]): string[] {
  const shown = renderingsOf(error);
  return secrets
    .filter((secret) => secret.length > 0)
    .flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])
    .filter((form) => shown.includes(form));
}
