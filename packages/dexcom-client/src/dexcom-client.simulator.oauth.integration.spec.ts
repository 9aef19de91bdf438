import type { DexcomError } from './dexcom-error.ts';
import {
  HOUR,
  SIM_CLIENT_ID,
  SIM_CLIENT_SECRET,
  SIM_REDIRECT_URI,
  followLogin,
  leakedSecrets,
  rejectionOf,
  startSimulatorSession,
  stopSimulatorSessions,
  type SimulatorSession,
} from './test-support/simulator-session.ts';

/** A small, recent window of the user's readings, to prove an access token works. */
function lastHours(session: SimulatorSession, hours = 3) {
  const end = session.clock.now() - HOUR;
  return { start: new Date(end - hours * HOUR), end: new Date(end) };
}

describe('DexcomClient against the Dexcom simulator: OAuth', () => {
  let session: SimulatorSession;
  /** Every error the client threw here, each scanned for the secrets of its call at the end. */
  const thrown: { error: DexcomError; secrets: string[] }[] = [];
  async function failure(promise: Promise<unknown>, secrets: string[]): Promise<DexcomError> {
    const error = await rejectionOf(promise);
    thrown.push({ error, secrets: [SIM_CLIENT_SECRET, ...secrets] });
    return error;
  }

  beforeEach(async () => {
    session = await startSimulatorSession({
      users: [
        { login: 'alice', timeZone: 'Europe/Berlin', displayDevice: 'iOS' },
        { login: 'bob', timeZone: 'America/New_York', displayDevice: 'receiver', transmitterGeneration: 'g6' },
      ],
    });
  });
  afterEach(stopSimulatorSessions);

  describe('the authorization-code flow', () => {
    it("when the person logs in through the client's authorizationUrl, the redirect carries a code and the state, and exchangeCode answers a token set for that account", async () => {
      const { sim, clock, client } = session;
      const state = 'st/ate+1 & more';
      const location = await followLogin(client.authorizationUrl(state), 'bob');
      expect(`${location.origin}${location.pathname}`).toBe(SIM_REDIRECT_URI);
      expect(location.searchParams.get('state')).toBe(state);
      const code = location.searchParams.get('code');
      expect(code).toEqual(expect.any(String));

      const tokens = await client.exchangeCode(code ?? '');
      expect(tokens).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        scope: 'offline_access',
        expires_in: 7200,
        expires_at: Math.floor(clock.now() / 1000) + 7200,
      });
      expect(sim.calls.log().filter((call) => call.endpoint === 'token')).toEqual([
        expect.objectContaining({ status: 200, clientId: SIM_CLIENT_ID, grantType: 'authorization_code' }),
      ]);

      // The token speaks for bob, not for the default user.
      const egvs = await client.egvs(tokens.access_token, lastHours(session));
      expect(egvs.userId).toBe(sim.users.get('bob')?.userId);
      expect(egvs.records.length).toBeGreaterThan(0);
      const range = await client.dataRange(tokens.access_token);
      expect(range.egvs).not.toBeNull();
    });

    it('when a code is exchanged a second time, throws dexcom.invalidGrant', async () => {
      const code = await session.authorize('alice');
      await session.client.exchangeCode(code);
      const error = await failure(session.client.exchangeCode(code), [code]);
      expect(error).toMatchObject({ code: 'dexcom.invalidGrant', status: 400, dexcom_error: 'invalid_grant', endpoint: 'POST /v2/oauth2/token' });
      expect(error.retryable).toBe(false);
    });

    it('when a code waited longer than the simulator lets it, throws dexcom.invalidGrant', async () => {
      const code = await session.authorize('alice');
      session.clock.advance(61_000);
      expect(await failure(session.client.exchangeCode(code), [code])).toMatchObject({ code: 'dexcom.invalidGrant', status: 400 });
    });

    it("when the client's secret is not the registered one, throws dexcom.invalidClient and spends nothing", async () => {
      const code = await session.authorize('alice');
      const wrong = session.clientWith({ clientSecret: 'another secret 9f8e7d6c5b4a' });
      const error = await failure(wrong.exchangeCode(code), [code, 'another secret 9f8e7d6c5b4a']);
      expect(error).toMatchObject({ code: 'dexcom.invalidClient', status: 401, dexcom_error: 'invalid_client' });
      await expect(session.client.exchangeCode(code)).resolves.toMatchObject({ token_type: 'Bearer' });
    });
  });

  describe('refresh', () => {
    it('when a refresh token is used, the answer carries a new access and refresh token that work, and the old refresh token is then dexcom.invalidGrant', async () => {
      const { client } = session;
      const first = await session.connect('alice');
      session.clock.advance(HOUR);
      const second = await client.refresh(first.refresh_token);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.expires_at).toBe(Math.floor(session.clock.now() / 1000) + 7200);
      await expect(client.egvs(second.access_token, lastHours(session))).resolves.toMatchObject({ userId: session.sim.users.get('alice')?.userId });

      const reused = await failure(client.refresh(first.refresh_token), [first.refresh_token]);
      expect(reused).toMatchObject({ code: 'dexcom.invalidGrant', status: 400, dexcom_error: 'invalid_grant' });

      const third = await client.refresh(second.refresh_token);
      expect(third.refresh_token).not.toBe(second.refresh_token);
      await expect(client.dataRange(third.access_token)).resolves.toMatchObject({ recordType: 'dataRange' });
    });

    it('when the refresh tokens were revoked, refreshing is dexcom.invalidGrant while the access token still works', async () => {
      const tokens = await session.connect('alice');
      expect(session.sim.faults.revokeRefreshTokens({ login: 'alice' })).toBe(1);
      const error = await failure(session.client.refresh(tokens.refresh_token), [tokens.refresh_token]);
      expect(error.code).toBe('dexcom.invalidGrant');
      await expect(session.client.egvs(tokens.access_token, lastHours(session))).resolves.toMatchObject({ recordType: 'egv' });
    });
  });

  describe('an expired access token', () => {
    it('when expires_in has passed on the simulated clock, egvs and dataRange throw dexcom.unauthorized, and a refresh makes it work again', async () => {
      const { client, clock } = session;
      const tokens = await session.connect('alice');
      clock.set(tokens.expires_at * 1000 - 1_000);
      await expect(client.egvs(tokens.access_token, lastHours(session))).resolves.toMatchObject({ recordType: 'egv' });

      clock.set(tokens.expires_at * 1000);
      const egvs = await failure(client.egvs(tokens.access_token, lastHours(session)), [tokens.access_token]);
      expect(egvs).toMatchObject({ code: 'dexcom.unauthorized', status: 401, dexcom_error: 'invalid_token', endpoint: 'GET /v3/users/self/egvs' });
      expect(egvs.retryable).toBe(false);
      const range = await failure(client.dataRange(tokens.access_token), [tokens.access_token]);
      expect(range).toMatchObject({ code: 'dexcom.unauthorized', status: 401, endpoint: 'GET /v3/users/self/dataRange' });

      const fresh = await client.refresh(tokens.refresh_token);
      await expect(client.egvs(fresh.access_token, lastHours(session))).resolves.toMatchObject({ recordType: 'egv' });
    });

    it('when the simulator expires the access tokens early, the next call throws dexcom.unauthorized', async () => {
      const tokens = await session.connect('bob');
      expect(session.sim.faults.expireAccessTokens({ login: 'bob' })).toBe(1);
      const error = await failure(session.client.egvs(tokens.access_token, lastHours(session)), [tokens.access_token]);
      expect(error).toMatchObject({ code: 'dexcom.unauthorized', status: 401 });
    });

    it('when an access token is one the simulator never issued, throws dexcom.unauthorized', async () => {
      const made = 'not-issued-Ab3dE5fG7hJ9kL1mN3pQ5rS7';
      const error = await failure(session.client.dataRange(made), [made]);
      expect(error).toMatchObject({ code: 'dexcom.unauthorized', status: 401, dexcom_error: 'invalid_token' });
    });
  });

  // Last: it reads what the tests above threw.
  it('when the client threw any of the errors above, no rendering of it holds the client secret, a code or a token', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(9);
    expect(thrown.map(({ error, secrets }) => ({ code: error.code, leaked: leakedSecrets(error, secrets) }))).toEqual(
      thrown.map(({ error }) => ({ code: error.code, leaked: [] })),
    );
  });
});
