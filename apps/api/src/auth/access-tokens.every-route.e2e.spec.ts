import { AccessTokenRepository } from '@vitals/repositories';
import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import type { Route } from '../routes/route.ts';
import { USER, pathWith, validBody } from '../test-support/fuzz-inputs.ts';
import { manualClock } from '../test-support/route-fixtures.ts';
import { UNCALLED_DEXCOM_ENV, startTestApi, type TestApi } from '../test-support/test-api.ts';

const clock = manualClock('2026-12-01T10:00:00.000Z');

/**
 * Every declared route that reads a bearer credential, called with personal
 * access tokens of `USER` (the health log's owner here) holding every scope:
 * a live one is accepted wherever a JWT is, a revoked, expired or unknown one
 * is refused with 401 before anything else happens.
 */
describe('personal access tokens on every route', () => {
  let api: TestApi;
  let routes: Route[];
  let live: string;
  let liveId: string;
  let revoked: string;
  let expired: string;

  const callEach = async (token: string) => {
    const statuses: Record<string, number> = {};
    for (const route of routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      statuses[key] = (await api.call(route.method.toUpperCase(), pathWith(route, {}), { token, body: validBody(route) })).status;
    }
    return statuses;
  };

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { HEALTH_LOG_OWNER: USER, ...UNCALLED_DEXCOM_ENV } });
    routes = apiRoutes(api.container).filter((route) => route.public !== true);
    const tokens = api.container.get(AccessTokenRepository);
    const scopes = [...SCOPES];
    ({ token: live, view: { token_id: liveId } } = await tokens.create(USER, { name: 'live', scopes }));
    const gone = await tokens.create(USER, { name: 'revoked', scopes });
    await tokens.revoke(USER, gone.view.token_id);
    revoked = gone.token;
    expired = (await tokens.create(USER, { name: 'expired', scopes, expires_at: '2026-12-01T10:30:00Z' })).token;
    clock.set('2026-12-01T10:30:00.000Z');
  });
  afterAll(async () => {
    await api.stop();
  });

  it('when the token is live, every route authenticates it as its user: none answers 401, and the audit names the token', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const statuses = await callEach(live);
    expect(Object.entries(statuses).filter(([, status]) => status === 401)).toEqual([]);
    const audited = api.logs().filter((line) => line['component'] === 'audit' && line['token_id'] === liveId);
    expect(audited).toHaveLength(routes.length);
    expect(new Set(audited.map((line) => line['actor']))).toEqual(new Set([USER]));
  });

  it.each([
    ['revoked', () => revoked],
    ['expired', () => expired],
    ['unknown', () => `vat_${'Q'.repeat(43)}`],
  ])('when the token is %s, every route answers 401', async (_case, token) => {
    const statuses = await callEach(token());
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((key) => [key, 401])));
  });
});
