import { banner, cliOptions, startDexcomSimulator, type DexcomSimulator } from '@vitals/dexcom-simulator';
import type { EnvLike } from '@vitals/dynamodb-core';

/** The Dexcom settings `npm start` uses in development unless `DEXCOM_BASE_URL` is set. */
export interface DevelopmentDexcom {
  /** `DEXCOM_*` variables for the API and the worker. */
  env: Record<string, string>;
  /** The simulator, when one was started. */
  simulator?: DexcomSimulator;
}

/**
 * Outside production: with `DEXCOM_BASE_URL` set, nothing to start (the
 * developer points at Dexcom's sandbox, README *Dexcom*); without it, the
 * Dexcom-shaped simulator on `DEXCOM_SIMULATOR_PORT` (8100) with the `demo`
 * user, announced as what it is — simulated glucose, not Dexcom.
 */
export async function developmentDexcom(env: EnvLike, apiPort: number, announce: (line: string) => void): Promise<DevelopmentDexcom> {
  if (env['DEXCOM_BASE_URL'] !== undefined && env['DEXCOM_BASE_URL'] !== '') return { env: {} };
  const redirectUri = env['DEXCOM_REDIRECT_URI'] || `http://127.0.0.1:${apiPort}/v1/connections/dexcom/callback`;
  const options = cliOptions({ ...env, DEXCOM_REDIRECT_URI: redirectUri } as NodeJS.ProcessEnv);
  const simulator = await startDexcomSimulator(options);
  for (const line of banner(simulator, options).split('\n')) announce(line);
  return {
    simulator,
    env: {
      DEXCOM_BASE_URL: simulator.url,
      DEXCOM_CLIENT_ID: options.clientId,
      DEXCOM_CLIENT_SECRET: options.clientSecret,
      DEXCOM_REDIRECT_URI: redirectUri,
    },
  };
}

/**
 * Connects `user` to the simulator the way a person would, through the
 * API's own routes: authorize → the simulator's login (signed in as
 * `user`) → its redirect to the callback. Done at every start: the
 * simulator keeps its tokens in memory, so a connection from an earlier
 * run could not refresh.
 */
export async function connectToSimulator(apiUrl: string, bearer: string, user: string): Promise<void> {
  const authorize = await fetch(`${apiUrl}/v1/users/${encodeURIComponent(user)}/connections/dexcom/authorize`, {
    headers: { Authorization: `Bearer ${bearer}` },
  });
  if (!authorize.ok) throw new Error(`authorize answered ${authorize.status}: ${await authorize.text()}`);
  const { authorization_url: authorizationUrl } = (await authorize.json()) as { authorization_url: string };
  const login = new URL(authorizationUrl);
  login.searchParams.set('login_hint', user);
  const redirect = await fetch(login, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (redirect.status !== 302 || location === null) throw new Error(`the simulator's login answered ${redirect.status}, not a redirect`);
  const callback = await fetch(location);
  if (!callback.ok) throw new Error(`the callback answered ${callback.status}: ${await callback.text()}`);
}
