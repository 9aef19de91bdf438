import { systemClock, type Clock } from './clock.ts';
import type { OutOfRangeValue } from './egv-records.ts';
import type { SimulatedUserOptions } from './simulated-users.ts';

/** What `startDexcomSimulator` takes. Only the client credentials are required. */
export interface DexcomSimulatorOptions {
  /** Port to listen on; default 0 (a free one). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The one registered application's credentials; the token endpoint checks both. */
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs; the login and the code exchange require an exact match. Default: any http(s) URL. */
  redirectUris?: string[];
  /** The accounts; default one, `demo`. More can be added later with `users.add()`. */
  users?: SimulatedUserOptions[];
  /** Whom the login signs in when the request names no `login_hint`; default the first user. */
  defaultLogin?: string;
  /** Default: real time. */
  clock?: Clock;
  /** How long after a reading is taken it can be fetched; default 1 hour (Dexcom: about 1 h in the US, up to 3 h elsewhere). */
  dataDelayMs?: number;
  /** Readings this close to the newest fetchable one may still change, once; default 1 hour, 0 turns revisions off. */
  revisionWindowMs?: number;
  /** How LOW/HIGH readings carry `value`; default `mixed`. */
  outOfRangeValue?: OutOfRangeValue;
  /** Default 7200, Dexcom's `expires_in`. */
  accessTokenTtlSeconds?: number;
  /** Default 60. */
  authorizationCodeTtlSeconds?: number;
  /** Also revoke the grant (every token of that login) when a spent refresh token comes back; default false. */
  revokeGrantOnRefreshReuse?: boolean;
  /** Calls per client id per sliding hour before `429`; default 60,000, Dexcom's documented limit. */
  rateLimitPerHour?: number;
  /** Longest egvs window; default 30 days, Dexcom's documented limit. */
  maxWindowDays?: number;
  /** Serve the `/__sim` admin routes; default true. */
  adminRoutes?: boolean;
}

export interface SimulatorSettings {
  port: number;
  host: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | undefined;
  users: SimulatedUserOptions[];
  defaultLogin: string | undefined;
  clock: Clock;
  dataDelayMs: number;
  revisionWindowMs: number;
  outOfRangeValue: OutOfRangeValue;
  accessTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
  revokeGrantOnRefreshReuse: boolean;
  rateLimitPerHour: number;
  maxWindowDays: number;
  adminRoutes: boolean;
}

/** The options with their defaults, or one error listing every problem. */
export function resolveSettings(options: DexcomSimulatorOptions): SimulatorSettings {
  const problems: string[] = [];
  const nonNegative = (name: string, value: number | undefined, fallback: number, integer = false): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ 0 (got ${value})`);
    return value;
  };
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const resolved = nonNegative(name, value, fallback, true);
    if (resolved === 0) problems.push(`${name} must be at least 1`);
    return resolved;
  };
  for (const name of ['clientId', 'clientSecret'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') problems.push(`${name} is required`);
  }
  for (const uri of options.redirectUris ?? []) {
    if (!isHttpUrl(uri)) problems.push(`redirect URI ${JSON.stringify(uri)} is not an absolute http(s) URL`);
  }
  const outOfRangeValue = options.outOfRangeValue ?? 'mixed';
  if (!['null', 'pinned', 'mixed'].includes(outOfRangeValue)) problems.push(`outOfRangeValue must be null, pinned or mixed (got ${outOfRangeValue})`);
  const port = nonNegative('port', options.port, 0, true);
  if (port > 65535) problems.push(`port must be at most 65535 (got ${port})`);
  const settings: SimulatorSettings = {
    port,
    host: options.host ?? '127.0.0.1',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUris: options.redirectUris,
    users: options.users ?? [{ login: 'demo' }],
    defaultLogin: options.defaultLogin ?? options.users?.[0]?.login ?? (options.users ? undefined : 'demo'),
    clock: options.clock ?? systemClock,
    dataDelayMs: nonNegative('dataDelayMs', options.dataDelayMs, 60 * 60_000),
    revisionWindowMs: nonNegative('revisionWindowMs', options.revisionWindowMs, 60 * 60_000),
    outOfRangeValue,
    accessTokenTtlSeconds: positive('accessTokenTtlSeconds', options.accessTokenTtlSeconds, 7200),
    authorizationCodeTtlSeconds: positive('authorizationCodeTtlSeconds', options.authorizationCodeTtlSeconds, 60),
    revokeGrantOnRefreshReuse: options.revokeGrantOnRefreshReuse ?? false,
    rateLimitPerHour: positive('rateLimitPerHour', options.rateLimitPerHour, 60_000),
    maxWindowDays: positive('maxWindowDays', options.maxWindowDays, 30),
    adminRoutes: options.adminRoutes ?? true,
  };
  if (problems.length > 0) throw new TypeError(`invalid Dexcom simulator options: ${problems.join('; ')}`);
  return settings;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
