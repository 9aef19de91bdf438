import { apiRoutes } from '../routes/api-routes.ts';
import { pathWith } from '../test-support/fuzz-inputs.ts';
import { expectProblem, itRejectsUnauthorisedCalls } from '../test-support/route-fixtures.ts';
import { UNCALLED_DEXCOM_ENV, startTestApi, type TestApi } from '../test-support/test-api.ts';

const CALLBACK = '/v1/connections/dexcom/callback?code=some-code&state=not.signed';

describe('the Dexcom connect routes: who may call them', () => {
  let api: TestApi;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ env: UNCALLED_DEXCOM_ENV });
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('GET /v1/users/{user_id}/connections/dexcom/authorize', () => {
    itRejectsUnauthorisedCalls(getApi, {
      method: 'GET',
      path: '/v1/users/auth-owner/connections/dexcom/authorize',
      user: 'auth-owner',
      scope: 'tokens:write',
      otherUserPath: '/v1/users/auth-other/connections/dexcom/authorize',
    });
  });

  describe('GET /v1/users/{user_id}/connections/dexcom', () => {
    itRejectsUnauthorisedCalls(getApi, {
      method: 'GET',
      path: '/v1/users/auth-owner/connections/dexcom',
      user: 'auth-owner',
      scope: 'sync:read',
      otherUserPath: '/v1/users/auth-other/connections/dexcom',
    });
  });

  describe('DELETE /v1/users/{user_id}/connections/dexcom', () => {
    itRejectsUnauthorisedCalls(getApi, {
      method: 'DELETE',
      path: '/v1/users/auth-owner/connections/dexcom',
      user: 'auth-owner',
      scope: 'tokens:write',
      otherUserPath: '/v1/users/auth-other/connections/dexcom',
    });
  });

  describe('GET /v1/connections/dexcom/callback', () => {
    it('when called without a bearer token, it is handled: the state decides (here a 400, not a 401)', async () => {
      const response = await api.call('GET', CALLBACK);
      expectProblem(response, 400, 'authorizationState');
    });

    it('when a bearer token is sent anyway, valid or not, it is not read: the same 400, never a 401', async () => {
      for (const authorization of ['Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', `Bearer ${await api.token('someone')}`]) {
        const response = await api.call('GET', CALLBACK, { headers: { authorization } });
        expect({ authorization, status: response.status, type: response.body.type }).toEqual({
          authorization,
          status: 400,
          type: 'urn:vitals:problem:authorizationState',
        });
      }
    });

    it('when every declared route is called without a token, only the public ones are handled (the callback, the Nightscout probes and sign-in exchange); each other one answers 401', async () => {
      const routes = apiRoutes(api.container);
      expect(routes.filter((route) => route.public === true).map((route) => route.operationId)).toEqual([
        'dexcomCallback',
        'nightscoutStatus',
        'nightscoutVerifyAuth',
        'nightscoutAuthorizationRequest',
      ]);
      const outcomes: Record<string, number> = {};
      for (const route of routes.filter((candidate) => candidate.public !== true)) {
        const response = await api.call(route.method.toUpperCase(), pathWith(route, {}));
        outcomes[route.operationId] = response.status;
      }
      expect(outcomes).toEqual(Object.fromEntries(routes.filter((route) => route.public !== true).map((route) => [route.operationId, 401])));
    });
  });
});

describe('the Dexcom connect routes on a deployment without the Dexcom variables', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('when a user asks to connect, or a callback arrives, answers 503 "Dexcom is not configured"', async () => {
    const detail =
      'Dexcom is not configured on this deployment (DEXCOM_CLIENT_ID, DEXCOM_CLIENT_SECRET, DEXCOM_BASE_URL, DEXCOM_REDIRECT_URI)';
    const authorize = await api.call('GET', '/v1/users/no-dexcom/connections/dexcom/authorize', { token: await api.token('no-dexcom') });
    expectProblem(authorize, 503, 'providerNotConfigured');
    expect(authorize.body.detail).toBe(detail);
    const callback = await api.call('GET', CALLBACK);
    expectProblem(callback, 503, 'providerNotConfigured');
    expect(callback.body.detail).toBe(detail);
  });

  it('when a user reads or deletes the connection, those still answer from what is stored (404: none)', async () => {
    const token = await api.token('no-dexcom');
    expectProblem(await api.call('GET', '/v1/users/no-dexcom/connections/dexcom', { token }), 404, 'notFound');
    expectProblem(await api.call('DELETE', '/v1/users/no-dexcom/connections/dexcom', { token }), 404, 'notFound');
  });
});
