import { UserTokenRepository } from '@vitals/repositories';
import {
  authorizationUrl,
  authorizedCallback,
  callback,
  loginAt,
  startConnectSetup,
  storedFor,
  withParam,
  type ConnectSetup,
} from '../test-support/dexcom-connect.ts';
import { expectInvalid, expectProblem } from '../test-support/route-fixtures.ts';

/** The state with its payload's `user_id` replaced, the signature kept. */
function stateFor(state: string, userId: string): string {
  const [payload, signature] = state.split('.') as [string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${Buffer.from(JSON.stringify({ ...decoded, user_id: userId }), 'utf8').toString('base64url')}.${signature}`;
}

const stateOf = (pathAndQuery: string) => new URL(pathAndQuery, 'http://vitals.test').searchParams.get('state') as string;

describe('GET /v1/connections/dexcom/callback: what is refused, and that nothing is stored then', () => {
  let setup: ConnectSetup;
  /** Token-endpoint calls the simulator answered: a refused callback must not have spent a code there. */
  const tokenCalls = () => setup.sim.calls.count('token');

  beforeAll(async () => {
    setup = await startConnectSetup();
  });
  afterAll(async () => {
    await setup.stop();
  });
  beforeEach(() => {
    setup.clock.set('2026-06-01T12:00:00.000Z');
  });

  /** No tokens, no job, and the connection (if any) still pending. */
  async function expectNothingStored(userId: string): Promise<void> {
    const stored = await storedFor(setup.api, userId);
    expect({ tokens: stored.tokens, jobs: stored.jobs }).toEqual({ tokens: undefined, jobs: [] });
    expect([404, 'pending']).toContain(typeof stored.status === 'number' ? stored.status : stored.status.status);
  }

  it('when a state is used a second time, answers 400 "already used" and spends nothing at Dexcom', async () => {
    const path = await authorizedCallback(setup.api, 'cb-reuse', 'alice');
    expect((await callback(setup.api, path)).status).toBe(200);
    const calls = tokenCalls();
    const replay = await callback(setup.api, path);
    expectProblem(replay, 400, 'authorizationState');
    expect(replay.body.detail).toBe('The state was already used, or a newer authorization replaced it; start connecting again');
    expect(tokenCalls()).toBe(calls);
    const stored = await storedFor(setup.api, 'cb-reuse');
    expect({ version: stored.tokens?.version, jobs: stored.jobs.length }).toEqual({ version: 1, jobs: 1 });
  });

  it('when a newer authorization replaced a state, the older one is refused and the newer one connects', async () => {
    const older = await authorizedCallback(setup.api, 'cb-superseded', 'alice');
    const newer = await authorizedCallback(setup.api, 'cb-superseded', 'alice');
    const refused = await callback(setup.api, older);
    expectProblem(refused, 400, 'authorizationState');
    await expectNothingStored('cb-superseded');
    expect((await callback(setup.api, newer)).status).toBe(200);
  });

  it('when the state was altered to name another user, answers 400 "not signed by this API" and stores nothing for either', async () => {
    const path = await authorizedCallback(setup.api, 'cb-tamper', 'alice');
    await authorizationUrl(setup.api, 'cb-tamper-victim');
    const calls = tokenCalls();
    const response = await callback(setup.api, withParam(path, 'state', stateFor(stateOf(path), 'cb-tamper-victim')));
    expectProblem(response, 400, 'authorizationState');
    expect(response.body.detail).toBe('The state was not signed by this API (altered, or from elsewhere); start connecting again');
    expect(tokenCalls()).toBe(calls);
    await expectNothingStored('cb-tamper');
    await expectNothingStored('cb-tamper-victim');
  });

  it('when the state is not one at all, answers 400 "not one this API issues"', async () => {
    const path = await authorizedCallback(setup.api, 'cb-garbage', 'alice');
    const response = await callback(setup.api, withParam(path, 'state', 'not-a-state'));
    expectProblem(response, 400, 'authorizationState');
    expect(response.body.detail).toBe('The state is not one this API issues; start connecting again');
    await expectNothingStored('cb-garbage');
  });

  it('when the state has expired (10 minutes on the API clock), answers 400 "expired", and a minute earlier it would have connected', async () => {
    const late = await authorizedCallback(setup.api, 'cb-expired', 'alice');
    setup.clock.set('2026-06-01T12:10:00.000Z');
    const calls = tokenCalls();
    const response = await callback(setup.api, late);
    expectProblem(response, 400, 'authorizationState');
    expect(response.body.detail).toBe('The state has expired: connecting must finish within 10 minutes; start connecting again');
    expect(tokenCalls()).toBe(calls);
    await expectNothingStored('cb-expired');

    setup.clock.set('2026-06-01T12:00:00.000Z');
    const inTime = await authorizedCallback(setup.api, 'cb-expired', 'alice');
    setup.clock.set('2026-06-01T12:09:00.000Z');
    expect((await callback(setup.api, inTime)).status).toBe(200);
  });

  it("when one user's state comes back, it connects that user, whatever other authorizations are pending", async () => {
    const carol = await authorizedCallback(setup.api, 'cb-carol', 'alice');
    const dave = await authorizedCallback(setup.api, 'cb-dave', 'bob');
    expect((await callback(setup.api, carol)).status).toBe(200);
    expect((await storedFor(setup.api, 'cb-carol')).tokens).toBeDefined();
    await expectNothingStored('cb-dave');
    expect((await callback(setup.api, dave)).status).toBe(200);
    const [carolTokens, daveTokens] = await Promise.all(
      ['cb-carol', 'cb-dave'].map((userId) => setup.api.container.get(UserTokenRepository).get(userId, 'dexcom')),
    );
    expect(carolTokens?.access_token).not.toBe(daveTokens?.access_token);
  });

  it('when the code is missing, answers 400 at /query/code and the state stays good', async () => {
    const path = await authorizedCallback(setup.api, 'cb-no-code', 'alice');
    expectInvalid(await callback(setup.api, withParam(path, 'code', undefined)), [{ pointer: '/query/code', message: /is required/ }]);
    await expectNothingStored('cb-no-code');
    expect((await callback(setup.api, path)).status).toBe(200);
  });

  it('when the state is missing, answers 400 at /query/state', async () => {
    const path = await authorizedCallback(setup.api, 'cb-no-state', 'alice');
    expectInvalid(await callback(setup.api, withParam(path, 'state', undefined)), [{ pointer: '/query/state', message: /is required/ }]);
    expectInvalid(await callback(setup.api, '/v1/connections/dexcom/callback'), [{ pointer: '/query/code' }, { pointer: '/query/state' }]);
    await expectNothingStored('cb-no-state');
  });

  it('when the person declined at Dexcom (error=access_denied), answers 400 saying so, repeating none of Dexcom’s text', async () => {
    const path = await authorizedCallback(setup.api, 'cb-denied', 'alice');
    const denied = withParam(withParam(withParam(path, 'code', undefined), 'error', 'access_denied'), 'error_description', 'secret-ish <b>text</b>');
    const calls = tokenCalls();
    const response = await callback(setup.api, denied);
    expectProblem(response, 400, 'authorizationDenied');
    expect(response.body.detail).toBe('Access was declined at Dexcom; nothing was connected; start connecting again to allow it');
    expect(JSON.stringify(response.body)).not.toContain('secret-ish');
    expect(tokenCalls()).toBe(calls);
    await expectNothingStored('cb-denied');
  });

  it('when Dexcom itself answers the login with an error (a scope it refuses), answers 400 naming its code', async () => {
    const url = new URL(await authorizationUrl(setup.api, 'cb-scope'));
    url.searchParams.set('scope', 'egv');
    const path = await loginAt(url.toString(), 'alice');
    expect(new URL(path, 'http://vitals.test').searchParams.get('error')).toBe('invalid_scope');
    const response = await callback(setup.api, path);
    expectProblem(response, 400, 'authorizationDenied');
    expect(response.body.detail).toBe('Dexcom did not authorize Vitals (invalid_scope); nothing was connected; start connecting again');
    await expectNothingStored('cb-scope');
  });

  it('when Dexcom refuses the code (invalid_grant), answers 400 saying so; the state is spent', async () => {
    const path = await authorizedCallback(setup.api, 'cb-bad-code', 'alice');
    const response = await callback(setup.api, withParam(path, 'code', 'a-code-dexcom-never-issued'));
    expectProblem(response, 400, 'authorizationDenied');
    expect(response.body.detail).toBe('Dexcom refused the authorization code (expired or already used); nothing was connected; start connecting again');
    await expectNothingStored('cb-bad-code');
    expectProblem(await callback(setup.api, path), 400, 'authorizationState');
  });

  it('when Dexcom’s token endpoint fails (503), answers 503 saying to start again shortly, and connecting again then works', async () => {
    const path = await authorizedCallback(setup.api, 'cb-dexcom-down', 'alice');
    setup.sim.faults.serverError({ endpoint: 'token', status: 503 });
    const response = await callback(setup.api, path);
    expectProblem(response, 503, 'providerUnavailable');
    expect(response.body.detail).toBe('Dexcom did not answer in time; nothing was connected; start connecting again shortly');
    await expectNothingStored('cb-dexcom-down');
    expect((await callback(setup.api, await authorizedCallback(setup.api, 'cb-dexcom-down', 'alice'))).status).toBe(200);
  });
});
