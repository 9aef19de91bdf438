import type { CallRecord } from './call-stats.ts';
import type { SimulatedUser } from './simulated-users.ts';
import {
  connect,
  DAY,
  dexcomDate,
  egvsQuery,
  getSelf,
  START,
  startTestSimulator,
  stopAll,
  tokenRequest,
  refreshForm,
} from './test-support/simulator-session.ts';

afterEach(stopAll);

describe('call counters', () => {
  it('count calls per endpoint and status, and log them without tokens or secrets', async () => {
    const { sim } = await startTestSimulator();
    const tokens = await connect(sim);
    await getSelf(sim, tokens.access_token, 'egvs', egvsQuery(START - DAY, START));
    await getSelf(sim, tokens.access_token, 'egvs', { startDate: 'bad' });
    await getSelf(sim, undefined, 'dataRange');
    await tokenRequest(sim, refreshForm(tokens.refresh_token));
    await fetch(`${sim.url}/v3/users/self/devices`);
    await fetch(`${sim.url}/v3/users/self/egvs`, { method: 'POST' });

    expect(sim.calls.counts()).toEqual({
      login: { 302: 1 },
      token: { 200: 2 },
      egvs: { 200: 1, 400: 1, 405: 1 },
      dataRange: { 401: 1 },
      unknown: { 404: 1 },
    });
    expect(sim.calls.count()).toBe(8);
    expect(sim.calls.count('egvs')).toBe(3);
    expect(sim.calls.count('token', 200)).toBe(2);

    const log = sim.calls.log();
    expect(log[0]).toEqual({ at: new Date(START).toISOString(), endpoint: 'login', method: 'GET', path: '/v2/oauth2/login', status: 302, clientId: 'test-client', login: 'demo' });
    expect(log[1]).toMatchObject({ endpoint: 'token', grantType: 'authorization_code', status: 200 });
    expect(log[2]).toMatchObject({ endpoint: 'egvs', login: 'demo', startDate: dexcomDate(START - DAY), endDate: dexcomDate(START), records: expect.any(Number) });
    const text = JSON.stringify(log);
    for (const secret of [tokens.access_token, tokens.refresh_token, 'test-secret']) expect(text).not.toContain(secret);

    sim.calls.reset();
    expect(sim.calls.count()).toBe(0);
    expect(sim.calls.log()).toEqual([]);
  });

  it('are served at /__sim/calls, which neither counts nor limits itself', async () => {
    const { sim } = await startTestSimulator({ rateLimitPerHour: 1 });
    await connect(sim).catch(() => undefined);
    const counted = (await (await fetch(`${sim.url}/__sim/calls`)).json()) as { total: number; counts: object };
    expect(counted).toEqual({ total: 2, counts: { login: { 302: 1 }, token: { 429: 1 } } });
    const { calls } = (await (await fetch(`${sim.url}/__sim/calls/log`)).json()) as { calls: CallRecord[] };
    expect(calls.map((call) => call.status)).toEqual([302, 429]);
    expect((await fetch(`${sim.url}/__sim/calls`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${sim.url}/__sim/calls`)).json()).toEqual({ total: 0, counts: {} });
  });
});

describe('the admin routes', () => {
  it('say what this is: a simulator, not Dexcom', async () => {
    const { sim } = await startTestSimulator();
    const info = (await (await fetch(`${sim.url}/__sim`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ name: 'Dexcom simulator — not Dexcom', clientId: 'test-client', now: new Date(START).toISOString(), defaultLogin: 'demo' });
    expect(info['users']).toEqual([JSON.parse(JSON.stringify(sim.users.get('demo')))]);
  });

  it('add users, whom the login then signs in', async () => {
    const { sim } = await startTestSimulator();
    const added = await fetch(`${sim.url}/__sim/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'user-17', timeZone: 'America/New_York', displayDevice: 'iOS', historyDays: 30 }),
    });
    expect(added.status).toBe(201);
    const user = (await added.json()) as SimulatedUser;
    expect(user).toMatchObject({ login: 'user-17', timeZone: 'America/New_York', displayDevice: 'iOS', transmitterGeneration: 'g7', seed: 'user-17' });
    const { access_token } = await connect(sim, 'user-17');
    const body = (await (await getSelf(sim, access_token, 'egvs', egvsQuery(START - DAY, START))).json()) as { userId: string };
    expect(body.userId).toBe(user.userId);

    const listed = (await (await fetch(`${sim.url}/__sim/users`)).json()) as { users: SimulatedUser[] };
    expect(listed.users.map((listedUser) => listedUser.login)).toEqual(['demo', 'user-17']);
    const post = (body: unknown) => fetch(`${sim.url}/__sim/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await (await post({ login: 'user-17' })).json()).toMatchObject({ error_description: 'a simulated user "user-17" already exists' });
    expect((await post({ login: 'x', timeZone: 'Nowhere/Land' })).status).toBe(400);
    expect((await post({ login: 'x', shoeSize: 44 })).status).toBe(400);
  });

  it('show what egvs answers a user now, without a token', async () => {
    const { sim } = await startTestSimulator();
    const query = new URLSearchParams(egvsQuery(START - DAY, START));
    const response = await fetch(`${sim.url}/__sim/users/demo/egvs?${query}`);
    expect(await response.json()).toEqual({ records: sim.egvs('demo', START - DAY, START) });
    expect((await fetch(`${sim.url}/__sim/users/nobody/egvs?${query}`)).status).toBe(404);
    expect((await fetch(`${sim.url}/__sim/users/demo/egvs`)).status).toBe(400);
    expect(sim.calls.count()).toBe(0);
  });

  it('can be turned off', async () => {
    const { sim } = await startTestSimulator({ adminRoutes: false });
    expect((await fetch(`${sim.url}/__sim`)).status).toBe(404);
    expect((await fetch(`${sim.url}/__sim/calls`)).status).toBe(404);
  });
});

describe('the handle', () => {
  it('adds users in process, and refuses bad options with every problem named', async () => {
    const { sim } = await startTestSimulator();
    expect(sim.users.add({ login: 'g6-user', transmitterGeneration: 'g6' }).transmitterGeneration).toBe('g6');
    expect(() => sim.users.add({ login: 'bad login!' })).toThrow('login must be 1 to 128 letters');
    await expect(startTestSimulator({ clientSecret: '', port: -1, redirectUris: ['not a url'] })).rejects.toThrow(
      /clientSecret is required.*redirect URI "not a url".*port must be an integer ≥ 0/,
    );
    await expect(startTestSimulator({ users: [{ login: 'a' }], defaultLogin: 'b' })).rejects.toThrow('defaultLogin "b" is not one of the users');
  });

  it('listens on a free loopback port by default and stops completely', async () => {
    const { sim } = await startTestSimulator();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.port).toBeGreaterThan(0);
    await sim.stop();
    await expect(fetch(`${sim.url}/__sim`)).rejects.toThrow();
    await expect(sim.stop()).resolves.toBeUndefined();
  });
});
