import type { DexcomSimulator } from './dexcom-simulator.ts';
import type { DexcomSimulatorOptions } from './simulator-options.ts';

/**
 * The command line's settings, from the environment:
 *
 * | variable | default |
 * |---|---|
 * | `DEXCOM_SIMULATOR_PORT` / `DEXCOM_SIMULATOR_HOST` | `8100` / `127.0.0.1` |
 * | `DEXCOM_CLIENT_ID` / `DEXCOM_CLIENT_SECRET` | `vitals-dev` / `vitals-dev-secret` |
 * | `DEXCOM_REDIRECT_URI` | any http(s) URL accepted |
 * | `DEXCOM_SIMULATOR_TIME_ZONE` | the machine's zone (the `demo` user's) |
 * | `DEXCOM_SIMULATOR_DATA_DELAY_MINUTES` | `60` |
 */
export function cliOptions(env: NodeJS.ProcessEnv): DexcomSimulatorOptions {
  const problems: string[] = [];
  const number = (name: string, fallback: number, max: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > max) problems.push(`${name} must be an integer from 0 to ${max} (got "${text}")`);
    return value;
  };
  const options: DexcomSimulatorOptions = {
    port: number('DEXCOM_SIMULATOR_PORT', 8100, 65535),
    host: env['DEXCOM_SIMULATOR_HOST'] || '127.0.0.1',
    clientId: env['DEXCOM_CLIENT_ID'] || 'vitals-dev',
    clientSecret: env['DEXCOM_CLIENT_SECRET'] || 'vitals-dev-secret',
    users: [
      {
        login: 'demo',
        timeZone: env['DEXCOM_SIMULATOR_TIME_ZONE'] || Intl.DateTimeFormat().resolvedOptions().timeZone,
        displayDevice: 'iOS',
      },
    ],
    dataDelayMs: number('DEXCOM_SIMULATOR_DATA_DELAY_MINUTES', 60, 24 * 60) * 60_000,
  };
  if (env['DEXCOM_REDIRECT_URI']) options.redirectUris = [env['DEXCOM_REDIRECT_URI']];
  if (problems.length > 0) throw new TypeError(problems.join('; '));
  return options;
}

/** What the command prints once listening: clearly not Dexcom. */
export function banner(simulator: DexcomSimulator, options: DexcomSimulatorOptions): string {
  const demo = simulator.users.get('demo');
  const redirect = options.redirectUris?.[0] ?? 'http://127.0.0.1:3000/v1/connections/dexcom/callback';
  return [
    'Dexcom simulator — not Dexcom: simulated glucose, for development and tests only',
    `  base URL:  ${simulator.url}   (DEXCOM_BASE_URL)`,
    `  client:    DEXCOM_CLIENT_ID=${options.clientId} DEXCOM_CLIENT_SECRET=${options.clientSecret}`,
    demo
      ? `  user:      demo (${demo.timeZone}, ${demo.displayDevice}, ${demo.transmitterGeneration}; history from ${demo.dataStart.toISOString()})`
      : '  user:      none',
    `  login:     ${simulator.loginUrl({ redirectUri: redirect, state: 'example', login: 'demo' })}`,
    `  admin:     ${simulator.url}/__sim (users, faults, call counters)`,
  ].join('\n');
}
