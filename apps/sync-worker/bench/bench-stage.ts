/*
 * What every contender of the benchmark shares: one Dexcom simulator whose
 * clock stands still at `now`, the users it serves, the OAuth flow that
 * gives each user a token set, and the readings each user must end with.
 *
 * The clock. The simulator's clock is fixed at the minute the bench started
 * (`now`), and every connection is made on a repositories clock fixed at
 * that same instant, so every contender syncs the same window,
 * [now − `days`, now] (one day unless asked), and — the clock standing still — is answered exactly
 * the same records (no reading arrives or is revised between contenders).
 * With `dataDelayMs` 0 the whole window has arrived. The worker processes
 * run on the real clock, which is at most a few minutes ahead: the jobs
 * (due at `now`) are due at once, yet not so overdue that the repair sweep
 * touches them; the access tokens carry an `expires_at` counted from the
 * real clock by the connecting client (two hours on), so no worker refreshes
 * one, while the simulator, judging expiry on its own stopped clock, never
 * expires them either. Its hourly rate limit counts on that clock too, so
 * every call of the run falls in one "hour": the default 60,000 calls leave
 * room for far more than the run makes (a login, a code exchange and an
 * `egvs` call per user and contender).
 */
import { DexcomClient, type DexcomTokenSet } from '@vitals/dexcom-client';
import { manualClock, startDexcomSimulator, type DexcomSimulator } from '@vitals/dexcom-simulator';
import type { UserTokenInput } from '@vitals/models';
import type { Clock } from '@vitals/repositories';
import { oauthTokens } from '../src/test-support/sync-stage.ts';

export const CLIENT_ID = 'vitals-bench';
export const CLIENT_SECRET = 'vitals-bench-secret';
export const REDIRECT_URI = 'http://127.0.0.1:3000/v1/connections/dexcom/callback';
export const PROVIDER = 'dexcom';
const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** A sensor reads every 5 minutes: a whole day is 288 readings. */
export const READINGS_PER_DAY = 288;

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'] as const;
const DEVICES = ['iOS', 'android', 'receiver'] as const;
const GENERATIONS = ['g7', 'g6'] as const;

export interface BenchStage {
  sim: DexcomSimulator;
  /** The instant the simulator's clock stands at; every window ends here. */
  now: Date;
  /** A repositories clock fixed at `now`, for the connections. */
  clock: Clock;
  /** The window every first job covers: the `days` before `now`. */
  window: { start: Date; end: Date };
  /** The users, each with every reading of the window (288 a day). */
  logins: string[];
  /** Other users, whose first syncs warm a worker process up before it is timed (their data is not checked). */
  warmupLogins: string[];
  /** A repositories clock an hour before `now`: connections made on it are due before the timed users'. */
  warmupClock: Clock;
  /** The records' ids Dexcom serves `login` over the window: what a complete sync stores. */
  expectedRecordIds(login: string): string[];
  /** A token set for `login`, by the OAuth flow the API's connect routes run. */
  tokens(login: string): Promise<UserTokenInput>;
  stop(): Promise<void>;
}

/**
 * Starts the simulator and picks `users` accounts with every reading of the
 * window (`days` days before now). The simulated sensors have gaps (sensor
 * changes, signal losses, 1–5 % of the slots over a session), so candidate
 * logins are tried in order (`bench-0000`, `bench-0001`, …) and those whose
 * window is complete are kept: the choice is the simulator's, made again in
 * every run.
 */
export async function startBenchStage(users: number, warmupUsers = 0, days = 1): Promise<BenchStage> {
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const sim = await startDexcomSimulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    users: [],
    clock: manualClock(now),
    dataDelayMs: 0,
  });
  const window = { start: new Date(now - days * DAY), end: new Date(now) };
  const readingsPerUser = days * READINGS_PER_DAY;
  const logins: string[] = [];
  const expected = new Map<string, string[]>();
  for (let candidate = 0; logins.length < users; candidate++) {
    if (candidate > users * 10) throw new Error(`only ${logins.length} of ${users} simulated users have all ${readingsPerUser} readings; ask for fewer days`);
    const login = `bench-${String(candidate).padStart(4, '0')}`;
    sim.users.add({
      login,
      timeZone: ZONES[candidate % ZONES.length],
      displayDevice: DEVICES[candidate % DEVICES.length],
      transmitterGeneration: GENERATIONS[candidate % GENERATIONS.length],
    });
    const ids = sim.egvs(login, window.start, window.end).map((record) => record.recordId);
    if (ids.length !== readingsPerUser) continue;
    logins.push(login);
    expected.set(login, ids.sort());
  }

  const warmupLogins = Array.from({ length: warmupUsers }, (_, index) => `warm-${String(index).padStart(4, '0')}`);
  for (const [index, login] of warmupLogins.entries()) {
    sim.users.add({ login, timeZone: ZONES[index % ZONES.length], displayDevice: DEVICES[index % DEVICES.length], transmitterGeneration: GENERATIONS[index % GENERATIONS.length] });
  }

  // The connecting client counts `expires_at` from the real clock, as the API's connect route does.
  const client = new DexcomClient({ baseUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, timeoutMs: 10_000 });
  return {
    sim,
    now: new Date(now),
    clock: { now: () => new Date(now) },
    window,
    logins,
    warmupLogins,
    warmupClock: { now: () => new Date(now - 60 * MINUTE) },
    expectedRecordIds: (login) => expected.get(login) ?? [],
    tokens: async (login) => {
      const { access_token, refresh_token, token_type, scope, expires_at }: DexcomTokenSet = await oauthTokens(client, login);
      return { access_token, refresh_token, token_type, scope, expires_at };
    },
    stop: () => sim.stop(),
  };
}

/** Runs `task` over `items` with at most `width` at once; resolves with the results in order. */
export async function pool<T, R>(items: readonly T[], width: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index] as T, index);
      }
    }),
  );
  return results;
}
