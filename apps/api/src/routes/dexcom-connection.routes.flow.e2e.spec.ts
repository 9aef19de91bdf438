import { UserTokenRepository } from '@vitals/repositories';
import {
  CONNECT_CLIENT_ID,
  CONNECT_CLIENT_SECRET,
  REDIRECT_URI,
  callback,
  loginAt,
  rawTokenItem,
  startConnectSetup,
  storedFor,
  type ConnectSetup,
} from '../test-support/dexcom-connect.ts';
import { DAY_MS, expectProblem, readingBody } from '../test-support/route-fixtures.ts';
import type { ApiResponse } from '../test-support/test-api.ts';

describe('connecting Dexcom: authorize → Dexcom login → callback → status → disconnect', () => {
  let setup: ConnectSetup;
  const user = 'alice-vitals';
  /** Every response of the flow, to look for secrets in afterwards. */
  const responses: ApiResponse[] = [];
  let url: string;
  let callbackPath: string;
  let connected: ApiResponse;
  /** The authorize route's answer: it carries the state by design. */
  let authorized: ApiResponse;
  /** The access and refresh tokens Dexcom issued, read back once stored. */
  const issuedTokens: string[] = [];
  const status = async () => {
    const response = await setup.api.call('GET', `/v1/users/${user}/connections/dexcom`, { token: await setup.api.token(user) });
    responses.push(response);
    return response;
  };

  beforeAll(async () => {
    setup = await startConnectSetup();
  });
  afterAll(async () => {
    await setup.stop();
  });

  describe('before connecting', () => {
    it('when the status is asked for, answers 404 saying how to connect', async () => {
      const response = await status();
      expectProblem(response, 404, 'notFound');
      expect(response.body.detail).toBe(
        'Dexcom is not connected for this user; connect with GET /v1/users/{user_id}/connections/dexcom/authorize and open its authorization_url in a browser',
      );
    });
  });

  describe('GET /v1/users/{user_id}/connections/dexcom/authorize', () => {
    it("when the user asks, answers Dexcom's login URL with the client, the redirect URI, offline_access and a signed state, not to be cached", async () => {
      const response = await setup.api.call('GET', `/v1/users/${user}/connections/dexcom/authorize`, { token: await setup.api.token(user) });
      authorized = response;
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      url = response.body.authorization_url;
      const login = new URL(url);
      expect(`${login.origin}${login.pathname}`).toBe(`${setup.sim.url}/v2/oauth2/login`);
      expect(Object.fromEntries(login.searchParams)).toEqual({
        client_id: CONNECT_CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'offline_access',
        state: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/),
      });
    });

    it('when an authorization is started, the status shows it pending, not connected', async () => {
      const response = await status();
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        provider: 'dexcom',
        status: 'pending',
        connected: false,
        reauthorization_required: false,
        connected_since: null,
        last_sync_at: null,
        newest_reading_at: null,
        next_run_at: null,
        last_error: null,
        last_error_at: null,
      });
    });
  });

  describe('GET /v1/connections/dexcom/callback', () => {
    beforeAll(async () => {
      setup.clock.set('2026-06-01T12:03:00.000Z');
      callbackPath = await loginAt(url, 'alice');
      connected = await callback(setup.api, callbackPath);
      responses.push(connected);
    });

    it('when Dexcom redirects back with a code and the state, without a bearer token, answers 200 with a page saying it is connected', () => {
      expect(new URL(callbackPath, REDIRECT_URI).searchParams.get('state')).toBe(new URL(url).searchParams.get('state'));
      expect(connected.status).toBe(200);
      expect(connected.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(connected.headers.get('cache-control')).toBe('no-store');
      expect(connected.body).toContain('<h1>Dexcom is connected</h1>');
      expect(connected.body).toContain('the last 90 days');
      expect(connected.body).not.toMatch(/<script|https?:\/\//i);
    });

    it("when the page is served, the app's Content-Security-Policy and no-referrer policy are on it", () => {
      expect(connected.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(connected.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(connected.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('when connected, the tokens Dexcom issued are stored, and the stored item holds none of them in plain text', async () => {
      const tokens = await setup.api.container.get(UserTokenRepository).get(user, 'dexcom');
      expect(tokens).toEqual(expect.objectContaining({ token_type: 'Bearer', scope: 'offline_access', version: 1 }));
      issuedTokens.push(tokens?.access_token as string, tokens?.refresh_token as string);
      // They are what Dexcom issued: the access token reads alice's data at the simulator.
      const egvs = await fetch(`${setup.sim.url}/v3/users/self/egvs?startDate=2026-05-31T00:00:00&endDate=2026-05-31T06:00:00`, {
        headers: { authorization: `Bearer ${tokens?.access_token}` },
      });
      expect(egvs.status).toBe(200);
      const raw = JSON.stringify(await rawTokenItem(setup.api, user));
      expect(raw).not.toContain(tokens?.access_token);
      expect(raw).not.toContain(tokens?.refresh_token);
    });

    it('when connected, the status shows it connected since the callback, with the backfill due now', async () => {
      const response = await status();
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        provider: 'dexcom',
        status: 'connected',
        connected: true,
        reauthorization_required: false,
        connected_since: '2026-06-01T12:03:00.000Z',
        last_sync_at: null,
        newest_reading_at: null,
        next_run_at: '2026-06-01T12:03:00.000Z',
        last_error: null,
        last_error_at: null,
      });
    });

    it('when connected, one job is pending: Dexcom, the last 90 days, due at once', async () => {
      const { jobs } = await storedFor(setup.api, user);
      expect(jobs).toEqual([
        expect.objectContaining({
          user_id: user,
          provider: 'dexcom',
          status: 'pending',
          scheduled_at: '2026-06-01T12:03:00.000Z',
          window_end: '2026-06-01T12:03:00.000Z',
          window_start: new Date(Date.parse('2026-06-01T12:03:00.000Z') - 90 * DAY_MS).toISOString(),
        }),
      ]);
    });

    it('when the audit log records the callback, it names no actor (no token) and alice as the subject', () => {
      const audit = setup.api.logs().filter((line) => line['component'] === 'audit' && line['action'] === 'dexcomCallback');
      expect(audit).toEqual([expect.objectContaining({ subject: user, status: 200 })]);
      expect(audit[0]?.['actor']).toBeUndefined();
    });
  });

  describe('DELETE /v1/users/{user_id}/connections/dexcom', () => {
    let disconnected: ApiResponse;
    beforeAll(async () => {
      const token = await setup.api.token(user);
      const stored = await setup.api.call('POST', `/v1/users/${user}/readings`, { token, body: readingBody('2026-05-31T08:00:00.000Z', 123) });
      expect(stored.status).toBe(201);
      disconnected = await setup.api.call('DELETE', `/v1/users/${user}/connections/dexcom`, { token });
      responses.push(disconnected);
    });

    it('when the user disconnects, answers 204; the tokens are deleted and the pending backfill cancelled', async () => {
      expect(disconnected.status).toBe(204);
      const stored = await storedFor(setup.api, user);
      expect(stored.tokens).toBeUndefined();
      expect(await rawTokenItem(setup.api, user)).toBeUndefined();
      expect(stored.jobs.map((job) => job.status)).toEqual(['cancelled']);
    });

    it('when disconnected, the readings stay', async () => {
      const readings = await setup.api.call('GET', `/v1/users/${user}/readings`, { token: await setup.api.token(user) });
      expect(readings.body.items).toEqual([expect.objectContaining({ timestamp: '2026-05-31T08:00:00.000Z', glucose_value: 123 })]);
    });

    it('when disconnected, the status is a 404 again, and so is a second DELETE', async () => {
      expectProblem(await status(), 404, 'notFound');
      const again = await setup.api.call('DELETE', `/v1/users/${user}/connections/dexcom`, { token: await setup.api.token(user) });
      expectProblem(again, 404, 'notFound');
    });

    it('when disconnected, the spent callback cannot connect again', async () => {
      const replay = await callback(setup.api, callbackPath);
      expectProblem(replay, 400, 'authorizationState');
      expect((await storedFor(setup.api, user)).tokens).toBeUndefined();
    });
  });

  describe('secrets', () => {
    it('when the flow is over, no response and no log line holds a token, the code, the state or the client secret', async () => {
      const callbackQuery = new URL(callbackPath, REDIRECT_URI).searchParams;
      expect(issuedTokens).toHaveLength(2);
      const secrets = [CONNECT_CLIENT_SECRET, ...issuedTokens, callbackQuery.get('code') as string, callbackQuery.get('state') as string];
      // The state's signature and nonce on their own, too: the state is a capability while it lasts.
      const [payload, signature] = (callbackQuery.get('state') as string).split('.') as [string, string];
      const nonce = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { nonce: string }).nonce;
      secrets.push(signature, nonce);
      expect(JSON.stringify(authorized.body)).not.toContain(CONNECT_CLIENT_SECRET);
      const shown = responses
        .filter((response) => response !== connected)
        .map((response) => `${JSON.stringify(response.body)}\n${JSON.stringify([...response.headers])}`)
        .join('\n');
      const logs = setup.api.logText();
      expect(logs.length).toBeGreaterThan(0);
      expect(secrets.filter((secret) => shown.includes(secret) || connected.body.includes(secret) || logs.includes(secret))).toEqual([]);
    });
  });
});
