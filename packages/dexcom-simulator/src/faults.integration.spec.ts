import { MALFORMED_KINDS } from './malformed-records.ts';
import type { TokenResponse } from './oauth-state.ts';
import {
  connect,
  DAY,
  egvsQuery,
  getSelf,
  HOUR,
  refreshForm,
  START,
  startTestSimulator,
  stopAll,
  tokenRequest,
} from './test-support/simulator-session.ts';

afterEach(stopAll);

const window = egvsQuery(START - DAY, START);

describe('faults', () => {
  it('answers 429 with Retry-After the number of times asked, then normally', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    sim.faults.rateLimit({ endpoint: 'egvs', times: 2, retryAfterSeconds: 30 });
    for (let i = 0; i < 2; i++) {
      const limited = await getSelf(sim, access_token, 'egvs', window);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
    }
    expect((await getSelf(sim, access_token, 'dataRange')).status).toBe(200);
    expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(200);
    expect(sim.calls.counts()).toMatchObject({ egvs: { 429: 2, 200: 1 }, dataRange: { 200: 1 } });
  });

  it('answers 429 for a period of the simulator’s clock', async () => {
    const { sim, clock } = await startTestSimulator();
    const { access_token } = await connect(sim);
    sim.faults.rateLimit({ forMs: 10 * 60_000 });
    for (let i = 0; i < 3; i++) expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(429);
    expect((await getSelf(sim, access_token, 'egvs', window)).headers.get('retry-after')).toBe('60');
    clock.advance(10 * 60_000);
    expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
  });

  it('answers server errors, as plain text, without spending the refresh token', async () => {
    const { sim } = await startTestSimulator();
    const tokens = await connect(sim);
    sim.faults.serverError({ endpoint: 'token', status: 502 });
    const failed = await tokenRequest(sim, refreshForm(tokens.refresh_token));
    expect(failed.status).toBe(502);
    expect(failed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await failed.text()).toBe('Bad Gateway');
    expect((await tokenRequest(sim, refreshForm(tokens.refresh_token))).status).toBe(200);
    sim.faults.serverError({ login: 'demo' });
    expect((await getSelf(sim, tokens.access_token, 'egvs', window)).status).toBe(503);
  });

  it('answers slowly', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    sim.faults.slow({ endpoint: 'dataRange', delayMs: 400 });
    const started = performance.now();
    expect((await getSelf(sim, access_token, 'dataRange')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    const again = performance.now();
    await getSelf(sim, access_token, 'dataRange');
    expect(performance.now() - again).toBeLessThan(390);
  });

  it('expires access tokens on demand', async () => {
    const { sim } = await startTestSimulator({ users: [{ login: 'demo' }, { login: 'alice' }] });
    const demo = await connect(sim, 'demo');
    const alice = await connect(sim, 'alice');
    expect(sim.faults.expireAccessTokens({ login: 'demo' })).toBe(1);
    expect((await getSelf(sim, demo.access_token, 'egvs', window)).status).toBe(401);
    expect((await getSelf(sim, alice.access_token, 'egvs', window)).status).toBe(200);
    const renewed = (await (await tokenRequest(sim, refreshForm(demo.refresh_token))).json()) as TokenResponse;
    expect((await getSelf(sim, renewed.access_token, 'egvs', window)).status).toBe(200);
  });

  it('revokes refresh tokens on demand: refreshing is invalid_grant, access tokens live on', async () => {
    const { sim } = await startTestSimulator();
    const tokens = await connect(sim);
    expect(sim.faults.revokeRefreshTokens()).toBe(1);
    const refused = await tokenRequest(sim, refreshForm(tokens.refresh_token));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_grant', error_description: 'the refresh token has been revoked' });
    expect((await getSelf(sim, tokens.access_token, 'egvs', window)).status).toBe(200);
  });

  it('mixes malformed records into egvs, next to every real one', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    sim.faults.malformedRecords({ count: MALFORMED_KINDS.length });
    const body = (await (await getSelf(sim, access_token, 'egvs', window)).json()) as { records: unknown[] };
    const real = sim.egvs('demo', START - DAY, START);
    expect(body.records.length).toBe(real.length + MALFORMED_KINDS.length);
    const realIds = new Set(real.map((record) => record.recordId));
    const extras = body.records.filter((record) => !(typeof record === 'object' && record !== null && realIds.has((record as { recordId: string }).recordId)));
    expect(extras).toHaveLength(MALFORMED_KINDS.length);
    expect(extras.filter((record) => typeof record === 'string')).toHaveLength(1);
    const objects = extras.filter((record): record is Record<string, unknown> => typeof record === 'object' && record !== null);
    expect(objects.filter((record) => !('systemTime' in record))).toHaveLength(1);
    expect(objects.filter((record) => !('recordId' in record))).toHaveLength(1);
    expect(objects.some((record) => typeof record['value'] === 'string')).toBe(true);
    expect(objects.some((record) => record['trend'] === 'sideways')).toBe(true);
    expect(objects.some((record) => record['status'] === 'fine')).toBe(true);
    expect(objects.some((record) => record['systemTime'] === 'yesterday, about noon')).toBe(true);
    for (const record of real) expect(body.records).toContainEqual(record);
    // Once only, by default.
    expect(((await (await getSelf(sim, access_token, 'egvs', window)).json()) as { records: unknown[] }).records).toEqual(real);
    expect(sim.calls.log().map((call) => call.records)).toEqual([undefined, undefined, real.length + MALFORMED_KINDS.length, real.length]);
  });

  it('applies the hard limit of calls per client id per hour, counting every endpoint', async () => {
    const { sim, clock } = await startTestSimulator({ rateLimitPerHour: 5 });
    const { access_token } = await connect(sim); // login + token: 2 calls
    for (let i = 0; i < 3; i++) expect((await getSelf(sim, access_token, 'dataRange')).status).toBe(200);
    const limited = await getSelf(sim, access_token, 'egvs', window);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBe(3600);
    expect((await tokenRequest(sim, refreshForm('whatever'))).status).toBe(429);
    clock.advance(HOUR);
    expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(200);
    expect(sim.calls.count(undefined, 429)).toBe(2);
    // Calls that name no client of ours count against nobody.
    expect((await getSelf(sim, 'unknown-token', 'egvs', window)).status).toBe(401);
  });

  it('is also asked for over HTTP, at /__sim/faults', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const post = (body: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const added = await post({ kind: 'serverError', status: 500, endpoint: 'egvs', times: 1 });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ fault: { id: expect.any(Number), remaining: 1, spec: { kind: 'serverError', status: 500 } } });
    expect(((await (await fetch(`${sim.url}/__sim/faults`)).json()) as { faults: unknown[] }).faults).toHaveLength(1);
    expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(500);

    expect(await (await post({ kind: 'expireAccessTokens' })).json()).toEqual({ applied: 1 });
    expect((await getSelf(sim, access_token, 'egvs', window)).status).toBe(401);

    await post({ kind: 'rateLimit', forMs: 60_000 });
    expect((await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.faults.list()).toEqual([]);

    const invalid = await post({ kind: 'serverError', status: 418 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: 'status' }] });
    expect((await post({ kind: 'earthquake' })).status).toBe(400);
    const notJson = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
