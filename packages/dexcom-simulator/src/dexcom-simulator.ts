import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallCounts, CallRecord } from './call-stats.ts';
import type { Clock } from './clock.ts';
import { egvRecords, type EgvRecord } from './egv-records.ts';
import type { ActiveFault, DexcomEndpoint, FaultScope, FaultSpec } from './faults.ts';
import { requestHandler } from './request-handler.ts';
import { applyFault, createCore, recordView } from './simulator-core.ts';
import { resolveSettings, type DexcomSimulatorOptions } from './simulator-options.ts';
import type { SimulatedUser, SimulatedUserOptions } from './simulated-users.ts';

/** A running simulator. */
export interface DexcomSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`: use it where the Dexcom host would go. */
  readonly url: string;
  readonly port: number;
  readonly clientId: string;
  readonly clock: Clock;
  readonly users: {
    add(options: SimulatedUserOptions): SimulatedUser;
    get(login: string): SimulatedUser | undefined;
    list(): SimulatedUser[];
  };
  /** The login URL an application sends the person to (`login` becomes `login_hint`). */
  loginUrl(params: { redirectUri: string; state?: string; login?: string }): string;
  /**
   * The records `GET /v3/users/self/egvs` answers for this user and window
   * (inclusive, any length) at simulator time `at` (default now), faults aside:
   * what a synced store should hold.
   */
  egvs(login: string, start: Date | number, end: Date | number, options?: { at?: Date | number }): EgvRecord[];
  readonly faults: {
    rateLimit(options?: FaultScope & { retryAfterSeconds?: number }): ActiveFault;
    serverError(options?: FaultScope & { status?: 500 | 502 | 503 | 504 }): ActiveFault;
    slow(options: FaultScope & { delayMs: number }): ActiveFault;
    malformedRecords(options?: Omit<FaultScope, 'endpoint'> & { count?: number }): ActiveFault;
    /** Expires access tokens now; returns how many. */
    expireAccessTokens(options?: { login?: string }): number;
    /** Revokes unspent refresh tokens now; returns how many. */
    revokeRefreshTokens(options?: { login?: string }): number;
    /** Any of the above by `kind`, as `POST /__sim/faults` takes it. */
    add(spec: FaultSpec): { fault: ActiveFault } | { applied: number };
    list(): ActiveFault[];
    clear(): void;
  };
  readonly calls: {
    /** Calls answered, optionally of one endpoint and/or with one status. */
    count(endpoint?: DexcomEndpoint | 'unknown', status?: number): number;
    counts(): CallCounts;
    log(): CallRecord[];
    reset(): void;
  };
  /** Stops listening and closes every connection. Safe to call twice. */
  stop(): Promise<void>;
}

/** How long an idle keep-alive connection is kept open. */
const IDLE_CONNECTION_MS = 60_000;

/**
 * Starts a Dexcom-shaped HTTP server on loopback: Dexcom API v3's OAuth,
 * egvs and dataRange endpoints over deterministic simulated sensors, with
 * faults on request. It is not Dexcom and says so on its admin routes.
 */
export async function startDexcomSimulator(options: DexcomSimulatorOptions): Promise<DexcomSimulator> {
  const settings = resolveSettings(options);
  const core = createCore(settings);
  const server = createServer(requestHandler(core));
  // Idle keep-alive connections stay open a minute, as behind a cloud load balancer: Node's 5 s default makes
  // a client that reuses a connection just as the server closes it see ECONNRESET, most often on a busy machine.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.listen(settings.port, settings.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;

  const faultOf = (spec: FaultSpec): ActiveFault => {
    const result = applyFault(core, spec);
    if (!('fault' in result)) throw new Error(`${spec.kind} is not a queued fault`);
    return result.fault;
  };
  const millis = (time: Date | number) => (time instanceof Date ? time.getTime() : time);

  return {
    url,
    port,
    clientId: settings.clientId,
    clock: settings.clock,
    users: {
      add: (user) => core.users.add(user),
      get: (login) => core.users.get(login),
      list: () => core.users.list(),
    },
    loginUrl: ({ redirectUri, state, login }) => {
      const target = new URL('/v2/oauth2/login', url);
      target.searchParams.set('client_id', settings.clientId);
      target.searchParams.set('redirect_uri', redirectUri);
      target.searchParams.set('response_type', 'code');
      target.searchParams.set('scope', 'offline_access');
      if (state !== undefined) target.searchParams.set('state', state);
      if (login !== undefined) target.searchParams.set('login_hint', login);
      return target.toString();
    },
    egvs: (login, start, end, { at } = {}) => {
      const user = core.users.get(login);
      if (!user) throw new Error(`there is no simulated user "${login}"`);
      return egvRecords(recordView(core, user, at === undefined ? core.now() : millis(at)), millis(start), millis(end));
    },
    faults: {
      rateLimit: (scope = {}) => faultOf({ kind: 'rateLimit', ...scope }),
      serverError: (scope = {}) => faultOf({ kind: 'serverError', ...scope }),
      slow: (scope) => faultOf({ kind: 'slow', ...scope }),
      malformedRecords: (scope = {}) => faultOf({ kind: 'malformedRecords', ...scope }),
      expireAccessTokens: ({ login } = {}) => core.oauth.expireAccessTokens(login),
      revokeRefreshTokens: ({ login } = {}) => core.oauth.revokeRefreshTokens(login),
      add: (spec) => applyFault(core, spec),
      list: () => core.faults.list(),
      clear: () => core.faults.clear(),
    },
    calls: {
      count: (endpoint, status) => core.stats.count(endpoint, status),
      counts: () => core.stats.counts(),
      log: () => core.stats.log(),
      reset: () => core.stats.reset(),
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
