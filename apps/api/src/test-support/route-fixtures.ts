import type { Clock } from '@vitals/repositories';
import { SignJWT } from 'jose';
import type { Scope } from '../auth/scopes.ts';
import { USER_SCOPES, type ApiResponse, type TestApi } from './test-api.ts';

/** A clock the test moves by hand, so server-set instants (`created_at`, …) are exact. */
export interface ManualClock extends Clock {
  set(instant: string): void;
  /** The instant `now()` answers, as stored: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  iso(): string;
}

export function manualClock(start: string): ManualClock {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (instant) => {
      now = new Date(instant);
    },
    iso: () => now.toISOString(),
  };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The instant `minutes` after `start`, as stored. */
export function minutesAfter(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * MINUTE_MS).toISOString();
}

export const DEVICE = { device_id: 'g7-receiver', serial_number: 'SN-0001' } as const;

/** A reading body as a client sends it (mg/dL unless `extra` says otherwise). */
export function readingBody(timestamp: string, glucose_value: number, extra: Record<string, unknown> = {}) {
  return { timestamp, glucose_value, device_info: DEVICE, ...extra };
}

/** `count` reading bodies every 5 minutes from `start`. */
export function cgmSeries(start: string, count: number, valueOf: (index: number) => number) {
  return Array.from({ length: count }, (_, index) => readingBody(minutesAfter(start, index * 5), valueOf(index)));
}

/** Stores readings through the API in arrays of at most 1000, as a client would. */
export async function postReadings(api: TestApi, userId: string, bodies: readonly object[], token?: string): Promise<void> {
  const bearer = token ?? (await api.token(userId));
  for (let start = 0; start < bodies.length; start += 1000) {
    const response = await api.call('POST', `/v1/users/${userId}/readings`, { token: bearer, body: bodies.slice(start, start + 1000) });
    expect(response.status).toBe(201);
  }
}

/**
 * Asserts what every failure shares: the status, `application/problem+json`,
 * the problem kind, and the request id in both the header and the body.
 */
export function expectProblem(response: ApiResponse, status: number, kind: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { type: `urn:vitals:problem:${kind}`, status, title: expect.any(String), detail: expect.any(String) },
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toMatch(/\S/);
  expect(response.body.request_id).toBe(requestId);
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+:\d+:\d+/);
}

export interface ExpectedIssue {
  pointer: string;
  message?: string | RegExp;
}

/** A 400 whose `errors` point at exactly these places (in any order), each with a matching message when one is given. */
export function expectInvalid(response: ApiResponse, issues: readonly ExpectedIssue[]): void {
  expectProblem(response, 400, 'validation');
  const errors = response.body.errors as { pointer: string; message: string }[];
  expect([...new Set(errors.map((error) => error.pointer))].sort()).toEqual(issues.map((issue) => issue.pointer).sort());
  for (const issue of issues) {
    if (issue.message === undefined) continue;
    const found = errors.filter((error) => error.pointer === issue.pointer).map((error) => error.message);
    expect(found).toContainEqual(typeof issue.message === 'string' ? issue.message : expect.stringMatching(issue.message));
  }
}

/** A cursor that the API signed but whose payload was altered (the signature no longer matches). */
export function tamperedCursor(cursor: string): string {
  const [payload = '', signature = ''] = cursor.split('.');
  const decoded = Buffer.from(payload, 'base64url').toString('utf8');
  const altered = decoded.replace(/"(\d)/, (_, digit: string) => `"${(Number(digit) + 1) % 10}`);
  expect(altered).not.toBe(decoded);
  return `${Buffer.from(altered, 'utf8').toString('base64url')}.${signature}`;
}

export interface PageWalk<T> {
  items: T[];
  /** Item count of each page, in order. */
  sizes: number[];
}

/**
 * Follows `next_cursor` from the first page of `path` (which carries its own
 * query string) to the last, collecting every item. Fails on a non-200 or
 * when the walk does not end within `maxPages`.
 */
export async function walkPages<T = Record<string, unknown>>(
  api: TestApi,
  path: string,
  token: string,
  maxPages = 1_000,
): Promise<PageWalk<T>> {
  const walk: PageWalk<T> = { items: [], sizes: [] };
  let cursor: string | null = null;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const response = await api.call('GET', cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`, { token });
    expect({ status: response.status, body: response.status === 200 ? 'ok' : response.body }).toEqual({ status: 200, body: 'ok' });
    walk.items.push(...(response.body.items as T[]));
    walk.sizes.push(response.body.items.length);
    cursor = response.body.next_cursor as string | null;
    if (walk.sizes.length > maxPages) throw new Error(`${path}: no last page after ${maxPages} pages`);
  } while (cursor !== null);
  return walk;
}

/** Page sizes of a walk over `total` items `limit` at a time, where DynamoDB may end with an empty page. */
export function expectPageSizes(sizes: readonly number[], total: number, limit: number): void {
  const full = Math.floor(total / limit);
  const rest = total % limit;
  const expected = [...Array.from({ length: full }, () => limit), ...(rest > 0 ? [rest] : [])];
  // A last page of exactly `limit` items may still carry a cursor, leading to one empty page.
  expect(sizes[sizes.length - 1] === 0 && rest === 0 ? sizes.slice(0, -1) : sizes).toEqual(expected);
}

/** A token for `userId` signed with a secret the API does not know. */
export async function foreignToken(userId: string): Promise<string> {
  return new SignJWT({ scope: USER_SCOPES.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('some-other-secret-that-is-long-enough-0123456789'));
}

/** A token with the API's own secret but no `exp` claim. */
export async function tokenWithoutExpiry(userId: string, secret: Uint8Array): Promise<string> {
  return new SignJWT({ scope: USER_SCOPES.join(' ') }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).sign(secret);
}

/** An unsigned (`alg: none`) token claiming every scope. */
export function unsignedToken(userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: userId, scope: [...USER_SCOPES, 'admin'].join(' '), exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
}

export interface GuardedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A concrete path the token's user may use. */
  path: string;
  /** The user whose token `path` accepts. */
  user: string;
  scope: Scope;
  /** A valid body, for routes that take one (auth is checked before it). */
  body?: unknown;
  /** The same route for a user other than `user`, for `/v1/users/{user_id}/…` routes. */
  otherUserPath?: string;
}

/**
 * The authentication and authorisation cases every authenticated route
 * shares, one `it` each: 401 for a missing, foreign, unsigned, expired or
 * exp-less token and for a non-Bearer scheme; 403 for a token without the
 * route's scope; 403 for another user's path.
 */
export function itRejectsUnauthorisedCalls(getApi: () => TestApi, route: GuardedRoute): void {
  const call = (options: { token?: string; headers?: Record<string, string> }) =>
    getApi().call(route.method, route.path, { ...options, ...(route.body === undefined ? {} : { body: route.body }) });

  it('when no bearer token is sent, answers 401', async () => {
    const response = await call({});
    expectProblem(response, 401, 'unauthorized');
    expect(response.body.detail).toBe('Send a bearer token: Authorization: Bearer <JWT or access token>');
  });

  it('when the Authorization header is not a Bearer token, answers 401', async () => {
    expectProblem(await call({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthorized');
  });

  it('when the token is signed with another secret, answers 401', async () => {
    const response = await call({ token: await foreignToken(route.user) });
    expectProblem(response, 401, 'unauthorized');
    expect(response.body.detail).toBe('The bearer token is invalid or expired');
  });

  it('when the token is unsigned (alg none), answers 401', async () => {
    expectProblem(await call({ token: unsignedToken(route.user) }), 401, 'unauthorized');
  });

  it('when the token has expired, answers 401', async () => {
    const expired = await getApi().token(route.user, [...USER_SCOPES, 'admin'], -60);
    const response = await call({ token: expired });
    expectProblem(response, 401, 'unauthorized');
    expect(response.body.detail).toBe('The bearer token is invalid or expired');
  });

  it('when the token has no exp claim, answers 401', async () => {
    expectProblem(await call({ token: await tokenWithoutExpiry(route.user, getApi().config.jwt_secret) }), 401, 'unauthorized');
  });

  it(`when the token lacks the scope ${route.scope}, answers 403`, async () => {
    // Even `admin` does not stand in for a missing scope.
    const others = [...USER_SCOPES, 'admin' as const].filter((scope) => scope !== route.scope);
    const response = await call({ token: await getApi().token(route.user, others) });
    expectProblem(response, 403, 'forbidden');
    expect(response.body.detail).toBe(`This token lacks the scope ${route.scope}`);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer error="insufficient_scope", scope="${route.scope}"`);
  });

  const otherUserPath = route.otherUserPath;
  if (otherUserPath !== undefined) {
    it("when a non-admin token is used on another user's path, answers 403", async () => {
      const response = await getApi().call(route.method, otherUserPath, {
        token: await getApi().token(route.user),
        ...(route.body === undefined ? {} : { body: route.body }),
      });
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toBe("This token may access only its own user's data");
    });
  }
}
