import type { TokenResponse } from './oauth-state.ts';
import {
  authorizationCode,
  CLIENT_ID,
  codeForm,
  connect,
  egvsQuery,
  getSelf,
  HOUR,
  login,
  loginParams,
  REDIRECT_URI,
  refreshForm,
  START,
  startTestSimulator,
  stopAll,
  tokenRequest,
} from './test-support/simulator-session.ts';

afterEach(stopAll);

const window = egvsQuery(START - 3 * HOUR, START - HOUR);

describe('the OAuth flow', () => {
  describe('GET /v2/oauth2/login', () => {
    it('redirects to the redirect URI with a code and the state, for the user login_hint names', async () => {
      const { sim } = await startTestSimulator({ users: [{ login: 'demo' }, { login: 'alice' }] });
      const { status, location } = await login(sim, loginParams({ login_hint: 'alice', state: 'xyz 1/2' }));
      expect(status).toBe(302);
      expect(`${location?.origin}${location?.pathname}`).toBe(REDIRECT_URI);
      expect(location?.searchParams.get('state')).toBe('xyz 1/2');
      const code = location?.searchParams.get('code') ?? '';
      expect(code.length).toBeGreaterThanOrEqual(32);

      const exchanged = await tokenRequest(sim, codeForm(code));
      expect(exchanged.status).toBe(200);
      const tokens = (await exchanged.json()) as TokenResponse;
      const egvs = await getSelf(sim, tokens.access_token, 'egvs', window);
      expect(((await egvs.json()) as { userId: string }).userId).toBe(sim.users.get('alice')?.userId);
    });

    it('signs in the default user without login_hint', async () => {
      const { sim } = await startTestSimulator({ users: [{ login: 'demo' }, { login: 'alice' }], defaultLogin: 'alice' });
      const tokens = await connect(sim);
      const egvs = await getSelf(sim, tokens.access_token, 'egvs', window);
      expect(((await egvs.json()) as { userId: string }).userId).toBe(sim.users.get('alice')?.userId);
    });

    it('builds the login URL an application would send the person to', async () => {
      const { sim } = await startTestSimulator();
      const url = new URL(sim.loginUrl({ redirectUri: REDIRECT_URI, state: 's', login: 'demo' }));
      expect(Object.fromEntries(url.searchParams)).toEqual({ ...loginParams({ state: 's' }), login_hint: 'demo' });
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    });

    it.each([
      ['an unknown client_id', { client_id: 'someone-else' }, 'Unknown application'],
      ['an unregistered redirect_uri', { redirect_uri: 'http://127.0.0.1:9/elsewhere' }, 'Invalid redirect_uri'],
      ['a redirect_uri that is not a URL', { redirect_uri: 'callback' }, 'Invalid redirect_uri'],
      ['an unknown user', { login_hint: 'nobody' }, 'Unknown user'],
    ])('answers %s with a page, not a redirect', async (_case, overrides, title) => {
      const { sim } = await startTestSimulator();
      const { status, location, body } = await login(sim, loginParams(overrides));
      expect(status).toBe(400);
      expect(location).toBeUndefined();
      expect(body).toContain(title);
      expect(body).toContain('not Dexcom');
    });

    it.each([
      ['response_type is not code', { response_type: 'token' }, 'unsupported_response_type'],
      ['scope lacks offline_access', { scope: 'openid' }, 'invalid_scope'],
    ])('redirects back with an error when %s', async (_case, overrides, error) => {
      const { sim } = await startTestSimulator();
      const { status, location } = await login(sim, loginParams(overrides));
      expect(status).toBe(302);
      expect(location?.searchParams.get('error')).toBe(error);
      expect(location?.searchParams.get('state')).toBe('state-1');
      expect(location?.searchParams.has('code')).toBe(false);
    });
  });

  describe('POST /v2/oauth2/token with an authorization code', () => {
    it('answers Dexcom’s token response, not to be cached', async () => {
      const { sim } = await startTestSimulator();
      const response = await tokenRequest(sim, codeForm(await authorizationCode(sim)));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as TokenResponse;
      expect(body).toEqual({
        access_token: expect.any(String),
        expires_in: 7200,
        token_type: 'Bearer',
        refresh_token: expect.any(String),
        refresh_expires_in: 0,
        'not-before-policy': 0,
        session_state: expect.any(String),
      });
      expect(body.access_token).not.toBe(body.refresh_token);
    });

    it('takes a code once: a second exchange is invalid_grant and revokes what the first issued', async () => {
      const { sim } = await startTestSimulator();
      const code = await authorizationCode(sim);
      const first = (await (await tokenRequest(sim, codeForm(code))).json()) as TokenResponse;
      const second = await tokenRequest(sim, codeForm(code));
      expect(second.status).toBe(400);
      expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
      expect((await getSelf(sim, first.access_token, 'egvs', window)).status).toBe(401);
      expect((await tokenRequest(sim, refreshForm(first.refresh_token))).status).toBe(400);
    });

    it('refuses an expired code, and a redirect_uri other than the login’s', async () => {
      const { sim, clock } = await startTestSimulator({ redirectUris: [REDIRECT_URI, 'http://127.0.0.1:9/other'] });
      const late = await authorizationCode(sim);
      clock.advance(60_000);
      expect(await (await tokenRequest(sim, codeForm(late))).json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
      const mismatched = await tokenRequest(sim, codeForm(await authorizationCode(sim), { redirect_uri: 'http://127.0.0.1:9/other' }));
      expect(mismatched.status).toBe(400);
      expect(await mismatched.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it.each([
      ['a wrong client_secret', { client_secret: 'guess' }, 401, 'invalid_client'],
      ['an unknown client_id', { client_id: 'someone-else' }, 401, 'invalid_client'],
      ['no grant_type', { grant_type: '' }, 400, 'invalid_request'],
      ['an unsupported grant_type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
      ['no code', { code: '' }, 400, 'invalid_request'],
    ])('answers %s with %i %s', async (_case, overrides, status, error) => {
      const { sim } = await startTestSimulator();
      const form = codeForm(await authorizationCode(sim), overrides);
      for (const [name, value] of Object.entries(form)) if (value === '') delete form[name];
      const response = await tokenRequest(sim, form);
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
    });

    it('wants a form, not JSON', async () => {
      const { sim } = await startTestSimulator();
      const response = await tokenRequest(sim, codeForm(await authorizationCode(sim)), 'application/json');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('POST /v2/oauth2/token with a refresh token', () => {
    it('rotates: each refresh token works once, the next one is new, a reused one is invalid_grant', async () => {
      const { sim } = await startTestSimulator();
      const first = await connect(sim);
      const second = (await (await tokenRequest(sim, refreshForm(first.refresh_token))).json()) as TokenResponse;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.expires_in).toBe(7200);

      const reused = await tokenRequest(sim, refreshForm(first.refresh_token));
      expect(reused.status).toBe(400);
      expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('single-use') });

      // The reuse does not end the grant: the newest refresh token still works, and so do unexpired access tokens.
      const third = await tokenRequest(sim, refreshForm(second.refresh_token));
      expect(third.status).toBe(200);
      expect((await getSelf(sim, first.access_token, 'egvs', window)).status).toBe(200);
    });

    it('ends the whole grant on reuse when configured to', async () => {
      const { sim } = await startTestSimulator({ revokeGrantOnRefreshReuse: true });
      const first = await connect(sim);
      const second = (await (await tokenRequest(sim, refreshForm(first.refresh_token))).json()) as TokenResponse;
      expect((await tokenRequest(sim, refreshForm(first.refresh_token))).status).toBe(400);
      expect((await tokenRequest(sim, refreshForm(second.refresh_token))).status).toBe(400);
      expect((await getSelf(sim, second.access_token, 'egvs', window)).status).toBe(401);
    });

    it('refuses an unknown refresh token, and one of another client', async () => {
      const { sim } = await startTestSimulator();
      const tokens = await connect(sim);
      expect(await (await tokenRequest(sim, refreshForm('made-up'))).json()).toMatchObject({ error: 'invalid_grant' });
      expect((await tokenRequest(sim, refreshForm(tokens.refresh_token, { client_id: 'other' }))).status).toBe(401);
      expect((await tokenRequest(sim, refreshForm(tokens.refresh_token))).status).toBe(200);
      expect(CLIENT_ID).toBe(sim.clientId);
    });
  });

  describe('access tokens', () => {
    it('expire after expires_in seconds of the simulator’s clock; a refresh gives a working one', async () => {
      const { sim, clock } = await startTestSimulator();
      const tokens = await connect(sim);
      clock.advance(7199_000);
      expect((await getSelf(sim, tokens.access_token, 'dataRange')).status).toBe(200);
      clock.advance(1000);
      const expired = await getSelf(sim, tokens.access_token, 'dataRange');
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await expired.json()).toMatchObject({ error: 'invalid_token', error_description: 'the access token has expired' });

      const renewed = (await (await tokenRequest(sim, refreshForm(tokens.refresh_token))).json()) as TokenResponse;
      expect((await getSelf(sim, renewed.access_token, 'dataRange')).status).toBe(200);
    });

    it('are required, as a Bearer header', async () => {
      const { sim } = await startTestSimulator();
      const missing = await getSelf(sim, undefined, 'egvs', window);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="dexcom-simulator"');
      expect((await getSelf(sim, 'not-a-token', 'egvs', window)).status).toBe(401);
      const tokens = await connect(sim);
      const basic = await fetch(new URL('/v3/users/self/dataRange', sim.url), { headers: { authorization: `Basic ${tokens.access_token}` } });
      expect(basic.status).toBe(401);
    });
  });
});
