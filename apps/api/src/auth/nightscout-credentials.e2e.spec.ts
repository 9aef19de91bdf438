import { DYNAMODB_CORE_TOKENS } from '@vitals/dynamodb-core';
import { AccessTokenRepository } from '@vitals/repositories';
import express from 'express';
import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { problemHandler } from '../middleware/problem-details.ts';
import { requestContext } from '../middleware/request-context.ts';
import { manualClock } from '../test-support/route-fixtures.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { BearerTokens } from './bearer-tokens.ts';
import { nightscoutPrincipalOf } from './nightscout-credentials.ts';

const clock = manualClock('2026-12-01T10:00:00.000Z');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A request to the probe: its path and headers. */
type Probe = () => [string, Record<string, string>];

/**
 * `nightscoutPrincipalOf` on a tiny route of its own, on loopback, over the
 * test API's container (real access tokens in DynamoDB Local): the route
 * answers the principal it was given, as the Nightscout routes will use it.
 */
describe(nightscoutPrincipalOf.name, () => {
  let api: TestApi;
  let server: Server;
  let url: string;
  let alice: string;
  let aliceTokenId: string;
  let revoked: string;
  let expiring: string;
  let reads: jest.SpyInstance;

  const probe = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const tokens = api.container.get(BearerTokens);
    const accessTokens = api.container.get(AccessTokenRepository);
    // Watched, not replaced: each request must cost one resolve however often it is asked.
    reads = jest.spyOn(accessTokens, 'resolve');
    const created = await accessTokens.create('ns-alice', { name: 'xDrip+', scopes: ['readings:read', 'readings:write'] });
    alice = created.token;
    aliceTokenId = created.view.token_id;
    const gone = await accessTokens.create('ns-alice', { name: 'old', scopes: ['readings:read'] });
    await accessTokens.revoke('ns-alice', gone.view.token_id);
    revoked = gone.token;
    expiring = (await accessTokens.create('ns-alice', { name: 'short', scopes: ['readings:read'], expires_at: '2026-12-01T11:00:00Z' })).token;

    const app = express();
    app.set('query parser', 'simple');
    app.use(requestContext(api.container.get(DYNAMODB_CORE_TOKENS.Logger)));
    app.get('/probe', async (req, res) => {
      reads.mockClear();
      const first = await nightscoutPrincipalOf(req, { tokens });
      // Asked again (as the route asks after the rate limiter), the same answer without another read.
      const second = nightscoutPrincipalOf(req, { tokens });
      expect(await second).toBe(first);
      res.json({ user_id: first.user_id, scopes: [...first.scopes].sort(), token_id: first.access_token?.token_id ?? null, reads: reads.mock.calls.length });
    });
    app.use(problemHandler(api.container.get(DYNAMODB_CORE_TOKENS.Logger)));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await api.stop();
  });
  beforeEach(() => clock.set('2026-12-01T10:00:00.000Z'));

  const ALICE = () => ({ user_id: 'ns-alice', scopes: ['readings:read', 'readings:write'], token_id: aliceTokenId, reads: 1 });

  it.each([
    ['api-secret: the SHA-1 of the token (what xDrip+, Loop and nightscout-connect send)', () => ['/probe', { 'api-secret': sha1(alice) }]],
    ['api-secret: the SHA-1 in upper case', () => ['/probe', { 'api-secret': sha1(alice).toUpperCase() }]],
    ['api-secret: the token itself', () => ['/probe', { 'api-secret': alice }]],
    ['?token=<token>', () => [`/probe?token=${alice}`, {}]],
    ['Authorization: Bearer <token>', () => ['/probe', { authorization: `Bearer ${alice}` }]],
    ['a proxy\'s Basic credentials beside api-secret', () => ['/probe', { authorization: 'Basic dXNlcjpwYXNz', 'api-secret': sha1(alice) }]],
    ['unknown query parameters beside ?token=', () => [`/probe?rr=1733050000000&token=${alice}&count=10`, {}]],
  ] satisfies [string, Probe][])('when the credential is %s, resolves the token\'s user and scopes', async (_case, request) => {
    const [path, headers] = request();
    expect(await probe(path, headers)).toEqual({ status: 200, challenge: null, body: ALICE() });
  });

  it('when the credential is a Bearer JWT, resolves its subject as on every other route', async () => {
    const jwt = await api.token('ns-jwt', ['readings:read']);
    expect((await probe('/probe', { authorization: `Bearer ${jwt}` })).body).toEqual({ user_id: 'ns-jwt', scopes: ['readings:read'], token_id: null, reads: 0 });
  });

  it.each([
    ['no credential', () => ['/probe', {}], /^Send a credential: the header api-secret/],
    ['a revoked token as api-secret', () => ['/probe', { 'api-secret': sha1(revoked) }], /^The access token is invalid, expired or revoked$/],
    ['a revoked token as ?token=', () => [`/probe?token=${revoked}`, {}], /^The access token is invalid, expired or revoked$/],
    ['a revoked token as Bearer', () => ['/probe', { authorization: `Bearer ${revoked}` }], /^The access token is invalid, expired or revoked$/],
    ['an unknown SHA-1', () => ['/probe', { 'api-secret': 'f'.repeat(40) }], /^The access token is invalid/],
    ['a plain Nightscout secret', () => ['/probe', { 'api-secret': 'my-nightscout-secret' }], /^The api-secret is neither/],
    ['a JWT as ?token=', () => ['/probe?token=eyJhbGciOiJIUzI1NiJ9.e30.x', {}], /^The token query parameter is not an access token/],
    ['?token= twice', () => [`/probe?token=${alice}&token=${alice}`, {}], /^Send the token query parameter once$/],
    ['a bad Bearer beside a good api-secret', () => ['/probe', { authorization: 'Bearer nonsense', 'api-secret': sha1(alice) }], /^The bearer token is invalid/],
  ] satisfies [string, Probe, RegExp][])('when the request carries %s, answers a 401 problem', async (_case, request, detail) => {
    const [path, headers] = request();
    const response = await probe(path, headers);
    expect(response).toMatchObject({ status: 401, body: { type: 'urn:vitals:problem:unauthorized', status: 401, detail: expect.stringMatching(detail) } });
    expect(response.challenge).toMatch(/^Bearer\b/);
  });

  it('when the token has expired, refuses every form from that instant', async () => {
    expect((await probe('/probe', { 'api-secret': sha1(expiring) })).status).toBe(200);
    clock.set('2026-12-01T11:00:00.000Z');
    const forms: [string, Record<string, string>][] = [
      ['/probe', { 'api-secret': sha1(expiring) }],
      ['/probe', { 'api-secret': expiring }],
      [`/probe?token=${expiring}`, {}],
      ['/probe', { authorization: `Bearer ${expiring}` }],
    ];
    for (const [path, headers] of forms) {
      expect((await probe(path, headers)).status).toBe(401);
    }
  });

  it('when tokens were used and refused in every form, no log line carries a token or its SHA-1', () => {
    const logged = api.logText();
    for (const token of [alice, revoked, expiring]) {
      expect(logged).not.toContain(token.slice(4));
      expect(logged).not.toContain(sha1(token));
    }
  });
});
