import { AccessTokenRepository } from '@vitals/repositories';
import { createHash } from 'node:crypto';
import { expectProblem, foreignToken, manualClock } from '../test-support/route-fixtures.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';

const clock = manualClock('2026-12-01T10:00:00.000Z');
const USER = 'me-user';
const digests = (text: string) => ['sha1', 'sha256'].flatMap((algorithm) => [createHash(algorithm).update(text).digest('hex'), createHash(algorithm).update(text).digest('base64url')]);
/** The `exp` of a JWT, as an instant. */
const expOf = (jwt: string) => new Date(JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')).exp * 1000).toISOString();

describe('GET /v1/me', () => {
  let api: TestApi;
  let tokens: AccessTokenRepository;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    tokens = api.container.get(AccessTokenRepository);
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(() => clock.set('2026-12-01T10:00:00.000Z'));

  it('when called with a JWT, answers its user, its scopes sorted, "jwt" and its exp', async () => {
    const jwt = await api.token(USER, ['readings:read', 'health:read', 'readings:write'], 900);
    const response = await api.call('GET', '/v1/me', { token: jwt });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: USER, scopes: ['health:read', 'readings:read', 'readings:write'], credential: 'jwt', expires_at: expOf(jwt) });
  });

  it('when the JWT carries no scope at all, still answers: no scope is needed', async () => {
    const response = await api.call('GET', '/v1/me', { token: await api.token('scopeless', []) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ user_id: 'scopeless', scopes: [], credential: 'jwt' });
  });

  it('when called with an access token, answers its user, scopes and expiry — never the token or its hash — and the audit names the token', async () => {
    const { token, view } = await tokens.create(USER, { name: 'dashboard', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00Z' });
    const response = await api.call('GET', '/v1/me', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: USER, scopes: ['readings:read'], credential: 'access_token', expires_at: '2027-01-01T00:00:00.000Z' });
    const text = JSON.stringify(response.body);
    for (const secret of [token, token.slice(4), ...digests(token)]) expect(text).not.toContain(secret);
    const audit = api.logs().filter((line) => line['component'] === 'audit' && line['action'] === 'whoAmI' && line['token_id'] === view.token_id);
    expect(audit).toEqual([expect.objectContaining({ actor: USER, subject: USER, status: 200 })]);
  });

  it('when the access token never expires, answers without expires_at', async () => {
    const { token } = await tokens.create(USER, { name: 'forever', scopes: ['health:read'] });
    const response = await api.call('GET', '/v1/me', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: USER, scopes: ['health:read'], credential: 'access_token' });
  });

  it('when called with a JWT exchanged for an access token, answers "jwt", the token\'s user and scopes, and the JWT\'s expiry', async () => {
    // The access token outlives the exchanged JWT (8 hours from the real clock, which the JWT's check uses).
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const { token } = await tokens.create(USER, { name: 'nightscout', scopes: ['readings:read'], expires_at: expiresAt });
    const exchanged = await api.call('GET', `/api/v2/authorization/request/${token}`);
    expect(exchanged.status).toBe(200);
    const response = await api.call('GET', '/v1/me', { token: exchanged.body.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: USER, scopes: ['readings:read'], credential: 'jwt', expires_at: new Date(exchanged.body.exp * 1000).toISOString() });
    expect(exchanged.body.exp - exchanged.body.iat).toBe(8 * 3600);
  });

  it.each([
    ['revoked', async () => {
      const { token, view } = await tokens.create(USER, { name: 'revoked', scopes: ['readings:read'] });
      await tokens.revoke(USER, view.token_id);
      return token;
    }],
    ['expired', async () => {
      const { token } = await tokens.create(USER, { name: 'expired', scopes: ['readings:read'], expires_at: '2026-12-01T10:30:00Z' });
      clock.set('2026-12-01T10:30:00.000Z');
      return token;
    }],
    ['unknown', async () => `vat_${'Q'.repeat(43)}`],
  ])('when the access token is %s, answers 401', async (_case, make) => {
    const response = await api.call('GET', '/v1/me', { token: await make() });
    expectProblem(response, 401, 'unauthorized');
    expect(response.body.detail).toBe('The access token is invalid, expired or revoked');
  });

  it.each([
    ['no token', async () => undefined],
    ['an expired JWT', async () => api.token(USER, ['readings:read'], -60)],
    ['a JWT signed with another secret', async () => foreignToken(USER)],
    ['garbage', async () => 'not-a-token'],
  ])('when called with %s, answers 401', async (_case, make) => {
    expectProblem(await api.call('GET', '/v1/me', { token: await make() }), 401, 'unauthorized');
  });
});
