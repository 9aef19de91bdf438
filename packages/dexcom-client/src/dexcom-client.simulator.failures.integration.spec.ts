import type { DexcomTokenSet } from './dexcom-client.ts';
import type { DexcomError } from './dexcom-error.ts';
import {
  HOUR,
  SIM_CLIENT_SECRET,
  leakedSecrets,
  rejectionOf,
  startSimulatorSession,
  stopSimulatorSessions,
  type SimulatorSession,
} from './test-support/simulator-session.ts';

/** The faults the simulator can be asked for, as the client reports them. */
describe('DexcomClient against the Dexcom simulator: failures', () => {
  let session: SimulatorSession;
  let tokens: DexcomTokenSet;
  const thrown: { error: DexcomError; secrets: string[] }[] = [];
  async function failure(promise: Promise<unknown>): Promise<DexcomError> {
    const error = await rejectionOf(promise);
    thrown.push({ error, secrets: [SIM_CLIENT_SECRET, tokens.access_token, tokens.refresh_token] });
    return error;
  }
  function window() {
    const end = session.clock.now() - HOUR;
    return { start: new Date(end - 6 * HOUR), end: new Date(end) };
  }

  beforeEach(async () => {
    session = await startSimulatorSession({ users: [{ login: 'alice', timeZone: 'Europe/Berlin', displayDevice: 'iOS' }] });
    tokens = await session.connect('alice');
  });
  afterEach(stopSimulatorSessions);

  describe('429', () => {
    it('when the simulator answers 429 with Retry-After to egvs, dataRange or the token endpoint, throws dexcom.rateLimited with retry_after_s', async () => {
      const { sim, client } = session;
      sim.faults.rateLimit({ endpoint: 'egvs', retryAfterSeconds: 120 });
      const egvs = await failure(client.egvs(tokens.access_token, window()));
      expect(egvs).toMatchObject({ code: 'dexcom.rateLimited', status: 429, retry_after_s: 120, endpoint: 'GET /v3/users/self/egvs' });
      expect(egvs.retryable).toBe(true);

      sim.faults.rateLimit({ endpoint: 'dataRange', retryAfterSeconds: 7 });
      expect(await failure(client.dataRange(tokens.access_token))).toMatchObject({ code: 'dexcom.rateLimited', retry_after_s: 7 });

      sim.faults.rateLimit({ endpoint: 'token', retryAfterSeconds: 30 });
      expect(await failure(client.refresh(tokens.refresh_token))).toMatchObject({ code: 'dexcom.rateLimited', retry_after_s: 30, endpoint: 'POST /v2/oauth2/token' });
      // A refused token call spends nothing: the same refresh token still works.
      await expect(client.refresh(tokens.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
    });

    it("when the app's hourly limit is spent, throws dexcom.rateLimited with the seconds until a call leaves the hour, and calls work again after it", async () => {
      await stopSimulatorSessions();
      session = await startSimulatorSession({ users: [{ login: 'alice' }], rateLimitPerHour: 5 });
      tokens = await session.connect('alice'); // the login and the token call: 2 of 5
      const { client, clock } = session;
      for (let call = 0; call < 3; call++) await client.egvs(tokens.access_token, window());
      clock.advance(10 * 60_000);
      const error = await failure(client.egvs(tokens.access_token, window()));
      expect(error).toMatchObject({ code: 'dexcom.rateLimited', status: 429, retry_after_s: 50 * 60 });
      clock.advance(50 * 60_000);
      await expect(client.dataRange(tokens.access_token)).resolves.toMatchObject({ recordType: 'dataRange' });
    });
  });

  describe('5xx', () => {
    it.each([500, 502, 503, 504] as const)('when the simulator answers %d, throws dexcom.unavailable for the status', async (status) => {
      session.sim.faults.serverError({ endpoint: 'egvs', status });
      const error = await failure(session.client.egvs(tokens.access_token, window()));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'status', status, endpoint: 'GET /v3/users/self/egvs' });
      expect(error.retryable).toBe(true);
      await expect(session.client.egvs(tokens.access_token, window())).resolves.toMatchObject({ invalid: [] });
    });

    it('when the token endpoint answers 503, throws dexcom.unavailable and the refresh token is not spent', async () => {
      session.sim.faults.serverError({ endpoint: 'token' });
      expect(await failure(session.client.refresh(tokens.refresh_token))).toMatchObject({ code: 'dexcom.unavailable', status: 503 });
      await expect(session.client.refresh(tokens.refresh_token)).resolves.toMatchObject({ token_type: 'Bearer' });
    });
  });

  describe('slow answers and no answer', () => {
    it("when an answer takes longer than the client's timeout, throws dexcom.unavailable with reason timeout", async () => {
      const hurried = session.clientWith({ timeoutMs: 250 });
      session.sim.faults.slow({ endpoint: 'egvs', delayMs: 1_500 });
      const egvs = await failure(hurried.egvs(tokens.access_token, window()));
      expect(egvs).toMatchObject({ code: 'dexcom.unavailable', reason: 'timeout', endpoint: 'GET /v3/users/self/egvs' });
      expect(egvs.status).toBeUndefined();

      session.sim.faults.slow({ endpoint: 'dataRange', delayMs: 1_500 });
      expect(await failure(hurried.dataRange(tokens.access_token))).toMatchObject({ code: 'dexcom.unavailable', reason: 'timeout' });
      // A delay within the timeout is just a slow answer.
      session.sim.faults.slow({ endpoint: 'dataRange', delayMs: 50 });
      await expect(session.client.dataRange(tokens.access_token)).resolves.toMatchObject({ recordType: 'dataRange' });
    });

    it('when a refresh times out but the simulator still answers it, the refresh token is spent: retrying it is dexcom.invalidGrant', async () => {
      // What the client documents ("the refresh token given is spent whatever happens next"), and what a worker must expect.
      const hurried = session.clientWith({ timeoutMs: 250 });
      session.sim.faults.slow({ endpoint: 'token', delayMs: 600 });
      expect(await failure(hurried.refresh(tokens.refresh_token))).toMatchObject({ code: 'dexcom.unavailable', reason: 'timeout' });
      const deadline = Date.now() + 5_000;
      while (session.sim.calls.count('token', 200) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await failure(session.client.refresh(tokens.refresh_token))).toMatchObject({ code: 'dexcom.invalidGrant', status: 400 });
    });

    it('when the simulator has stopped, throws dexcom.unavailable with reason network', async () => {
      await session.sim.stop();
      const error = await failure(session.client.egvs(tokens.access_token, window()));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'network' });
      // A new connection is refused; one fetch kept alive from before is closed under it.
      expect(['ECONNREFUSED', 'UND_ERR_SOCKET']).toContain(error.details['network_code']);
    });
  });

  // Last: it reads what the tests above threw.
  it('when the client threw any of the errors above, no rendering of it holds the client secret or a token', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(14);
    expect(thrown.map(({ error, secrets }) => ({ code: error.code, leaked: leakedSecrets(error, secrets) }))).toEqual(
      thrown.map(({ error }) => ({ code: error.code, leaked: [] })),
    );
  });
});
