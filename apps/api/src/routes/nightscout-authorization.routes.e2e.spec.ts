import { SignJWT, decodeJwt } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { nightscoutSecret, type NightscoutSecret } from '../test-support/nightscout-connect.ts';
import { TEST_JWT_SECRET, startTestApi, type TestApi } from '../test-support/test-api.ts';

const EIGHT_HOURS_S = 8 * 3600;
const FIVE_MINUTES = 300_000;
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const exchangePath = (credential: string) => `/api/v2/authorization/request/${credential}`;

describe('GET /api/v2/authorization/request/{access_token}', () => {
  let api: TestApi;
  const start = Math.floor((Date.now() - 3_600_000) / FIVE_MINUTES) * FIVE_MINUTES;
  const entry = (index: number, sgv: number) => {
    const date = start + index * FIVE_MINUTES;
    return { type: 'sgv', sgv, date, dateString: new Date(date).toISOString(), direction: 'Flat', device: 'AndroidAPS' };
  };

  /** The JWT the exchange answers for `credential`, asserted to be a 200. */
  async function exchange(credential: string): Promise<string> {
    const response = await api.call('GET', exchangePath(credential));
    expect(response.status).toBe(200);
    return response.body.token as string;
  }

  async function uploadAs(user: string, entries: object[]): Promise<void> {
    expect((await api.call('POST', '/api/v1/entries', { token: await api.token(user), body: entries })).status).toBe(200);
  }

  beforeAll(async () => {
    // A settle lag of zero, so the v3 history serves a change at once (the server keeps the real clock: JWTs are stamped by it).
    api = await startTestApi({ env: { READING_CHANGES_SETTLE_MS: '0' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it("answers Nightscout's shape for a live token or its SHA-1: a JWT for its user, scopes and id, for 8 hours; other query parameters ignored", async () => {
    const secret = await nightscoutSecret(api.container, 'exchange-alice', ['readings:read', 'readings:write']);
    for (const credential of [secret.token, secret.sha1]) {
      const before = Math.floor(Date.now() / 1000);
      const response = await api.call('GET', `${exchangePath(credential)}?v=3&rr=${Date.now()}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = response.body as { token: string; sub: string; permissionGroups: string[][]; iat: number; exp: number };
      expect(Object.keys(body).sort()).toEqual(['exp', 'iat', 'permissionGroups', 'sub', 'token']);
      expect(body.sub).toBe('exchange-alice');
      expect(body.permissionGroups).toEqual([['readings:read', 'readings:write']]);
      expect(body.iat).toBeGreaterThanOrEqual(before);
      expect(body.exp - body.iat).toBe(EIGHT_HOURS_S);
      expect(decodeJwt(body.token)).toEqual({ sub: 'exchange-alice', scope: 'readings:read readings:write', tid: secret.token_id, iat: body.iat, exp: body.exp });
    }
  });

  it("caps the JWT's expiry at the access token's own", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000 + 500);
    const created = await api.call('POST', '/v1/users/exchange-capped/access-tokens', {
      token: await api.token('exchange-capped'),
      body: { name: 'aaps', scopes: ['readings:read'], expires_at: expiresAt.toISOString() },
    });
    expect(created.status).toBe(201);
    const response = await api.call('GET', exchangePath(created.body.token));
    expect(response.status).toBe(200);
    expect(response.body.exp).toBe(Math.floor(expiresAt.getTime() / 1000));
  });

  it('the JWT reads its user\'s entries on /api/v1/entries.json and /api/v3/entries/history, and never another user\'s', async () => {
    await uploadAs('exchange-reader', [entry(0, 100), entry(1, 110)]);
    await uploadAs('exchange-other', [entry(0, 200), entry(1, 210), entry(2, 220)]);
    const jwt = await exchange((await nightscoutSecret(api.container, 'exchange-reader', ['readings:read'])).token);

    const v1 = await api.call('GET', '/api/v1/entries.json?count=100', { token: jwt });
    expect(v1.status).toBe(200);
    expect(v1.body.map((read: { sgv: number }) => read.sgv)).toEqual([110, 100]);
    const v3 = await api.call('GET', '/api/v3/entries/history/0', { token: jwt });
    expect(v3.status).toBe(200);
    expect(v3.body.result.map((doc: { sgv: number }) => doc.sgv).sort()).toEqual([100, 110]);
    // The path-user routes: its own user's readings, not another's.
    expect((await api.call('GET', '/v1/users/exchange-reader/readings', { token: jwt })).status).toBe(200);
    expect((await api.call('GET', '/v1/users/exchange-other/readings', { token: jwt })).status).toBe(403);
  });

  it("refuses a JWT whose sub is not the access token's user, though validly signed (the token's id is looked up under its sub)", async () => {
    const alice = await nightscoutSecret(api.container, 'exchange-victim', ['readings:read']);
    await uploadAs('exchange-victim', [entry(0, 150)]);
    const forged = await signed({ sub: 'exchange-mallory', scope: 'readings:read', tid: alice.token_id });
    expect((await api.call('GET', '/api/v1/entries.json', { token: forged })).status).toBe(401);
  });

  it('revoking the access token ends its JWT on the next request, on every route', async () => {
    const secret = await nightscoutSecret(api.container, 'exchange-revoked', ['readings:read']);
    await uploadAs('exchange-revoked', [entry(0, 120)]);
    const jwt = await exchange(secret.token);
    expect((await api.call('GET', '/api/v1/entries.json', { token: jwt })).status).toBe(200);

    const revoked = await api.call('DELETE', `/v1/users/exchange-revoked/access-tokens/${secret.token_id}`, { token: await api.token('exchange-revoked') });
    expect(revoked.status).toBe(204);
    for (const path of ['/api/v1/entries.json', '/api/v3/entries/history/0', '/v1/users/exchange-revoked/readings']) {
      const response = await api.call('GET', path, { token: jwt });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await api.call('GET', exchangePath(secret.token))).status).toBe(401);
  });

  it('an expired access token is refused by the exchange, and the JWT minted before its expiry stops with it', async () => {
    const created = await api.call('POST', '/v1/users/exchange-expiring/access-tokens', {
      token: await api.token('exchange-expiring'),
      body: { name: 'short', scopes: ['readings:read'], expires_at: new Date(Date.now() + 1500).toISOString() },
    });
    expect(created.status).toBe(201);
    const jwt = await exchange(created.body.token);
    // Its exp is the token's expiry; one naming the token but living longer shows the check against the table refuses it too.
    const outliving = await signed({ sub: 'exchange-expiring', scope: 'readings:read', tid: created.body.token_id });
    for (const token of [jwt, outliving]) expect((await api.call('GET', '/api/v1/entries.json', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await api.call('GET', exchangePath(created.body.token))).status).toBe(401);
    for (const token of [jwt, outliving]) expect((await api.call('GET', '/api/v1/entries.json', { token })).status).toBe(401);
  });

  it.each([
    ['an unknown token', () => `vat_${randomBytes(32).toString('base64url')}`],
    ['the SHA-1 of an unknown token', () => sha1(`vat_${randomBytes(32).toString('base64url')}`)],
    ['neither a token nor a SHA-1', () => 'not-a-token'],
    ['a JWT', () => api.token('exchange-alice')],
  ])('refuses %s with a 401 problem that does not repeat it', async (_case, credential) => {
    const given = await credential();
    const response = await api.call('GET', exchangePath(given));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(response.body)).not.toContain(given);
  });

  it("a read-only token's JWT reads but cannot upload (403), and a JWT claiming more scopes than its token holds gets only the token's", async () => {
    const reader = await nightscoutSecret(api.container, 'exchange-readonly', ['readings:read']);
    const jwt = await exchange(reader.token);
    expect((await api.call('POST', '/api/v1/entries', { token: jwt, body: [entry(0, 130)] })).status).toBe(403);
    const inflated = await signed({ sub: 'exchange-readonly', scope: 'readings:read readings:write', tid: reader.token_id });
    expect((await api.call('POST', '/api/v1/entries', { token: inflated, body: [entry(0, 130)] })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/entries.json', { token: inflated })).status).toBe(200);
  });

  it('writes neither the token, its SHA-1 nor the JWT to any log line', async () => {
    const secret: NightscoutSecret = await nightscoutSecret(api.container, 'exchange-logged', ['readings:read']);
    const jwt = await exchange(secret.token);
    await exchange(secret.sha1);
    await api.call('GET', '/api/v1/entries.json', { token: jwt });
    await api.call('GET', `${exchangePath(secret.token)}/extra`);
    const unknown = `vat_${randomBytes(32).toString('base64url')}`;
    expect((await api.call('GET', exchangePath(unknown))).status).toBe(401);
    const lines = api.logs().filter((line) => line['component'] === 'http' && String(line['route']).startsWith('/api/v2/'));
    expect(lines.map((line) => line['route'])).toContain('/api/v2/authorization/request/:access_token');
    for (const secretText of [secret.token, secret.sha1, jwt, unknown]) expect(api.logText()).not.toContain(secretText);
  });
});

/** A JWT signed with the test API's own secret, as only the server could sign one. */
function signed(claims: { sub: string; scope: string; tid: string }): Promise<string> {
  return new SignJWT({ scope: claims.scope, tid: claims.tid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}
