import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminRoute } from './admin-routes.ts';
import type { CallRecord } from './call-stats.ts';
import { authenticate, dataRange, egvs } from './data-routes.ts';
import type { DexcomEndpoint } from './faults.ts';
import { BodyTooLargeError, errorReply, readBody, send, type Reply } from './http-io.ts';
import { login, token } from './oauth-routes.ts';
import type { SimulatorCore } from './simulator-core.ts';

/**
 * Every request goes through the same steps, in the order a real API gateway
 * would take them: route, the hourly rate limit per client id, the faults a
 * test queued (slow first, then 429, then 5xx), then the endpoint itself. Each
 * Dexcom-path request is counted with the status it got; `/__sim` admin
 * requests are neither limited nor counted.
 */

const ROUTES: { method: string; path: string; endpoint: DexcomEndpoint }[] = [
  { method: 'GET', path: '/v2/oauth2/login', endpoint: 'login' },
  { method: 'POST', path: '/v2/oauth2/token', endpoint: 'token' },
  { method: 'GET', path: '/v3/users/self/egvs', endpoint: 'egvs' },
  { method: 'GET', path: '/v3/users/self/dataRange', endpoint: 'dataRange' },
];

export function requestHandler(core: SimulatorCore): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(core, request, response).catch((error: unknown) => {
      send(response, errorReply(500, 'server_error', error instanceof Error ? error.message : String(error)));
    });
  };
}

async function handle(core: SimulatorCore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://simulator.invalid');
  const method = request.method ?? 'GET';
  if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
    const reply = core.settings.adminRoutes ? await adminRoute(core, method, url, request) : undefined;
    send(response, reply ?? errorReply(404, 'not_found', `no route ${method} ${url.pathname}`));
    return;
  }
  const call: CallRecord = { at: '', endpoint: 'unknown', method, path: url.pathname, status: 0 };
  const reply = await answer(core, request, url, call);
  call.at = new Date(core.now()).toISOString();
  call.status = reply.status;
  core.stats.record(call);
  send(response, reply);
}

async function answer(core: SimulatorCore, request: IncomingMessage, url: URL, call: CallRecord): Promise<Reply> {
  const route = ROUTES.find((candidate) => candidate.path === url.pathname);
  if (!route) return errorReply(404, 'not_found', `no route ${call.method} ${url.pathname}`);
  call.endpoint = route.endpoint;
  if (call.method !== route.method) return errorReply(405, 'method_not_allowed', `${url.pathname} takes ${route.method}`, { Allow: route.method });

  let body = '';
  if (route.endpoint === 'token') {
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errorReply(413, 'invalid_request', error.message);
      throw error;
    }
  }
  identify(core, route.endpoint, url.searchParams, body, request.headers.authorization, call);

  if (call.clientId !== undefined) {
    const retryAfter = core.rateLimit.hit(call.clientId);
    if (retryAfter !== undefined) {
      return errorReply(429, 'rate_limited', `more than ${core.settings.rateLimitPerHour} calls in an hour for this application`, {
        'Retry-After': String(retryAfter),
      });
    }
  }
  const target = { endpoint: route.endpoint, login: call.login };
  const slow = core.faults.take('slow', target);
  if (slow) await sleep(slow.delayMs);
  const limited = core.faults.take('rateLimit', target);
  if (limited) {
    return errorReply(429, 'rate_limited', 'too many requests (simulated)', { 'Retry-After': String(limited.retryAfterSeconds ?? 60) });
  }
  const failure = core.faults.take('serverError', target);
  if (failure) {
    const status = failure.status ?? 503;
    return { status, text: status === 500 ? 'Internal Server Error' : status === 502 ? 'Bad Gateway' : status === 504 ? 'Gateway Timeout' : 'Service Unavailable' };
  }

  switch (route.endpoint) {
    case 'login':
      return login(core, url.searchParams);
    case 'token':
      return token(core, request.headers['content-type'], body);
    case 'egvs':
    case 'dataRange': {
      const user = authenticate(core, request.headers.authorization);
      if ('status' in user) return user;
      if (route.endpoint === 'dataRange') return dataRange(core, user, url.searchParams);
      const { records, ...reply } = egvs(core, user, url.searchParams);
      if (records !== undefined) call.records = records;
      return reply;
    }
  }
}

/** Fills in whose call this is (client id for the rate limit, login for faults and the log) without judging it yet. */
function identify(
  core: SimulatorCore,
  endpoint: DexcomEndpoint,
  query: URLSearchParams,
  body: string,
  authorization: string | undefined,
  call: CallRecord,
): void {
  const known = (clientId: string | null | undefined) => (clientId === core.settings.clientId ? clientId : undefined);
  const set = <K extends keyof CallRecord>(name: K, value: CallRecord[K] | undefined | null) => {
    if (value !== undefined && value !== null) call[name] = value;
  };
  switch (endpoint) {
    case 'login':
      set('clientId', known(query.get('client_id')));
      set('login', query.get('login_hint') ?? core.settings.defaultLogin);
      return;
    case 'token': {
      const form = new URLSearchParams(body);
      set('clientId', known(form.get('client_id')));
      set('grantType', form.get('grant_type'));
      return;
    }
    case 'egvs':
    case 'dataRange': {
      const accessToken = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (accessToken !== undefined) {
        set('clientId', core.oauth.clientOf(accessToken));
        const check = core.oauth.check(accessToken);
        if (check.ok) set('login', check.login);
      }
      if (endpoint === 'egvs') {
        set('startDate', query.get('startDate'));
        set('endDate', query.get('endDate'));
      }
    }
  }
}
