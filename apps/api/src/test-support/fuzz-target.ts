import fc from 'fast-check';
import { request } from 'node:http';
import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import type { Route } from '../routes/route.ts';
import { USER, validBody, type Json, type RawResponse } from './fuzz-inputs.ts';
import { UNCALLED_DEXCOM_ENV, startTestApi, type TestApi } from './test-api.ts';

/** What the fuzz specs read once the API is up: the server, its routes and OpenAPI paths, real cursors, an admin token. */
export interface FuzzServer {
  api: TestApi;
  routes: Route[];
  document: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  realCursors: string[];
  adminToken: string;
}

/**
 * The API the fuzz specs send requests to, started before and stopped after
 * the calling describe block, seeded so that every list has a second page.
 * `started()` answers the server once its `beforeAll` has run; the functions
 * may be called from any test.
 */
export function fuzzTarget() {
  let api: TestApi;
  let routes: Route[];
  let document: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  let realCursors: string[];
  const tokens = new Map<string, string>();
  let adminToken: string;

  function routeOf(operationId: string): Route {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    if (route === undefined) throw new Error(`No route ${operationId}`);
    return route;
  }

  /** The example body the route `operationId` declares. */
  function exampleOf(operationId: string): Json {
    const body = validBody(routeOf(operationId));
    if (body === undefined) throw new Error(`${operationId} takes no body`);
    return body;
  }

  /** A token with every non-admin scope for `userId`, or an admin's where `userId` cannot be a token subject. */
  async function tokenFor(userId: string | undefined): Promise<string> {
    if (userId === undefined || userId.length < 1 || userId.length > 256) return adminToken;
    let token = tokens.get(userId);
    if (token === undefined) {
      token = await api.token(userId);
      tokens.set(userId, token);
    }
    return token;
  }

  /** The request exactly as given: the path is not normalised (no `..` resolution, no re-encoding). */
  function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
    const { hostname, port } = new URL(api.url);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(body.length) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              requestId: response.headers['x-request-id'] as string | undefined,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /**
   * The property: never a 5xx, and every non-2xx is problem+json whose
   * `status` is the HTTP status. A 5xx fails with the server's log line.
   */
  function expectWellFormed(response: RawResponse, what: string): void {
    if (response.status >= 500) {
      const logged = api.logs().filter((line) => line['request_id'] === response.requestId && line['component'] === 'problems');
      throw new Error(`${what} answered ${response.status}: ${response.text}\nserver log: ${JSON.stringify(logged)}`);
    }
    if (response.status >= 200 && response.status < 300) return;
    expect({ what, contentType: response.contentType }).toEqual({ what, contentType: expect.stringMatching(/^application\/problem\+json(;|$)/) });
    const body = JSON.parse(response.text) as unknown;
    expect(body).toEqual(
      expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: response.status, detail: expect.any(String) }),
    );
  }

  beforeAll(async () => {
    // Dexcom configured (never reached: no fuzzed state is signed), so the connect routes answer rather than 503.
    api = await startTestApi({ env: { HEALTH_LOG_OWNER: USER, ...UNCALLED_DEXCOM_ENV } });
    routes = apiRoutes(api.container);
    adminToken = await api.token('fuzz-admin', SCOPES);
    document = (await api.call('GET', '/openapi.json')).body;

    // Enough data for every list to have a second page, so real cursors exist to mutate and misuse.
    const token = await tokenFor(USER);
    const seed = async (method: string, path: string, body: unknown) => {
      const response = await api.call(method, path, { token, body });
      expect({ path, status: response.status }).toEqual({ path, status: method === 'POST' ? 201 : 200 });
    };
    for (const minute of ['00', '05', '10']) {
      await seed('POST', `/v1/users/${USER}/readings`, { ...exampleOf('storeReadings'), timestamp: `2026-01-05T09:${minute}:00.000Z` });
    }
    for (const day of ['03', '04']) {
      await seed('POST', `/v1/users/${USER}/sync-jobs`, { ...exampleOf('scheduleSyncJob'), scheduled_at: `2026-01-${day}T10:00:00.000Z` });
    }
    for (const [date, time] of [['2026-01-05', '0800'], ['2026-01-05', '0900'], ['2026-01-06', '0800']]) {
      await seed('PUT', `/v1/health/entries/${date}/${time}`, exampleOf('putHealthEntry'));
    }
    const pages = [
      [`/v1/users/${USER}/readings?limit=1`, token],
      [`/v1/users/${USER}/readings?limit=1&order=desc`, token],
      [`/v1/users/${USER}/sync-jobs?limit=1`, token],
      ['/v1/sync-jobs?limit=1&due_before=2026-12-31T00:00:00Z', adminToken],
      ['/v1/health/entries?date=2026-01-05&limit=1', token],
      ['/v1/health/entries?medication=paracetamol&limit=1', token],
      ['/v1/health/summaries?from=2026-01-01&to=2026-01-31&limit=1', token],
    ] as const;
    realCursors = [];
    for (const [path, pageToken] of pages) {
      const page = await api.call('GET', path, { token: pageToken });
      expect({ path, next_cursor: page.body.next_cursor }).toEqual({ path, next_cursor: expect.any(String) });
      realCursors.push(page.body.next_cursor);
    }
  });

  afterAll(async () => {
    await api.stop();
  });

  const cursor = () =>
    fc.oneof(
      fc.constantFrom(...realCursors),
      fc
        .tuple(fc.constantFrom(...realCursors), fc.nat(), fc.constantFrom(...'AZaz09-_.=+/%'))
        .map(([real, at, char]) => `${real.slice(0, at % real.length)}${char}${real.slice((at % real.length) + 1)}`),
      fc.tuple(fc.constantFrom(...realCursors), fc.nat()).map(([real, at]) => real.slice(0, at % real.length)),
      fc.tuple(fc.constantFrom(...realCursors), fc.constantFrom(...realCursors)).map(([a, b]) => `${a.split('.')[0]}.${b.split('.')[1]}`),
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'), maxLength: 200 }),
      fc
        .tuple(fc.jsonValue({ maxDepth: 2 }), fc.uint8Array({ maxLength: 32 }))
        .map(([payload, signature]) => `${Buffer.from(JSON.stringify(payload) ?? '').toString('base64url')}.${Buffer.from(signature).toString('base64url')}`),
      fc.constant('a'.repeat(5000)),
    );

  const started = (): FuzzServer => ({ api, routes, document, realCursors, adminToken });

  return { started, routeOf, exampleOf, tokenFor, send, expectWellFormed, cursor };
}
