import { AccessTokenRepository } from '@vitals/repositories';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import type { Route } from '../routes/route.ts';
import {
  ABSENT,
  ATTACKER,
  VICTIM,
  VICTIM_ACCESS_TOKEN,
  VICTIM_ENTRY,
  VICTIM_JOB,
  VICTIM_READING,
  VICTIM_TOKENS,
  observable,
} from '../test-support/cross-user-fixtures.ts';
import { UNCALLED_DEXCOM_ENV, USER_SCOPES, startTestApi, type ApiResponse, type TestApi } from '../test-support/test-api.ts';

/** Values of path parameters other than `user_id`; they name victim's resources (`token_id`: victim's access token, once made). */
const PATH_VALUES: Record<string, string> = {
  timestamp: VICTIM_READING.timestamp,
  provider: VICTIM_JOB.provider,
  date: VICTIM_ENTRY.date,
  time: VICTIM_ENTRY.time,
};

/** Query strings that make the health log's list routes valid, so that only the owner check can refuse them. */
const HEALTH_QUERIES: Readonly<Record<string, string>> = {
  listHealthEntries: `?date=${VICTIM_ENTRY.date}`,
  listDailySummaries: '?from=2026-02-01&to=2026-02-28',
};

/** What an admin's GET answered: the status, and the body of a 200. */
type Read = { status: number; body: ApiResponse['body'] };

/** The methods in an order where writes come before the reads and deletes of what they wrote. */
const METHOD_ORDER = ['post', 'put', 'get', 'delete'];

const isUserScoped = (route: Route) => route.path.includes('{user_id}');
const isHealthLog = (route: Route) => route.subject === 'health-log';
const keyOf = (route: Route) => `${route.method.toUpperCase()} ${route.path}`;
/** A list of one user's data (a GET of `/v1/users/{user_id}/…` taking a page query): where a write that got through shows. */
const isUserList = (route: Route) =>
  isUserScoped(route) && route.method === 'get' && route.query instanceof z.ZodObject && 'limit' in route.query.shape;

/** A change feed's changes, less its cursor: a position that moves on with the clock even when nothing changed. */
function listed(read: Read): Read {
  if (read.body === null || !('changes' in read.body)) return read;
  const { next_cursor: _position, ...changes } = read.body as Record<string, unknown>;
  return { status: read.status, body: changes };
}

/** What a list of a user who has no data answers: an empty page, or an empty change feed. */
const emptyList = (route: Route): Read => ({
  status: 200,
  body: route.operationId === 'listReadingChanges' ? { changes: [], has_more: false } : { items: [], next_cursor: null },
});

function pathFor(route: Route, userId: string, values: Readonly<Record<string, string>> = PATH_VALUES): string {
  return route.path.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    if (name === 'user_id') return encodeURIComponent(userId);
    const value = values[name];
    if (value === undefined) {
      throw new Error(`No value for the path parameter {${name}} of ${route.operationId}: add one to PATH_VALUES`);
    }
    return encodeURIComponent(value);
  });
}

/**
 * The body sent to a route that takes one: the example its declaration
 * carries. Any valid body proves the point (a write for another user is
 * refused and nothing changes) as long as it is not victim's own data, so
 * that a write that got through would show in what `stateOf` reads (a second
 * reading, a new token version, a second job, another entry): the sweep
 * checks that no example carries any of victim's values.
 */
function bodyFor(route: Route): unknown {
  if (route.body === undefined) return undefined;
  if (route.example === undefined) throw new Error(`${route.operationId} takes a body but declares no example: give its defineRoute one`);
  return route.example;
}

/** The credentials mallory attacks with: a JWT, and a personal access token of hers with the same scopes. */
const CREDENTIALS = ['a JWT', 'an access token'] as const;

describe.each(CREDENTIALS)('cross-user access with %s', (credential) => {
  let api: TestApi;
  /** mallory's access token, when she attacks with one: her own list of tokens holds it and nothing else. */
  let attackerTokenId: string | undefined;
  let victimToken: string;
  let attackerToken: string;
  let adminToken: string;
  let victimJobId: string;
  let leakMarkers: string[];
  let userRoutes: Route[];
  let userLists: Route[];
  let healthRoutes: Route[];
  const healthAttacks: { key: string; response: ApiResponse; unknownRoute: ApiResponse }[] = [];
  const attacks: { key: string; victim: ApiResponse; absent: ApiResponse }[] = [];
  const stateBefore: Record<string, unknown> = {};
  const stateAfter: Record<string, unknown> = {};

  /**
   * Everything stored for `userId` that the attacker's requests could have
   * changed, read as an admin: the stored tokens, and every list of the user's
   * data by operationId (`listReadings`, `listUserSyncJobs`, and any list a
   * new route adds).
   */
  async function stateOf(userId: string): Promise<Record<string, Read>> {
    const read = async (path: string): Promise<Read> => {
      const response = await api.call('GET', path, { token: adminToken });
      return { status: response.status, body: response.status === 200 ? response.body : null };
    };
    const user = `/v1/users/${encodeURIComponent(userId)}`;
    const state: Record<string, Read> = {
      tokens: await read(`${user}/tokens/dexcom`),
      connection: await read(`${user}/connections/dexcom`),
      accessTokens: await read(`${user}/access-tokens`),
    };
    for (const route of userLists) state[route.operationId] = listed(await read(`${pathFor(route, userId)}?limit=1000`));
    return state;
  }

  /** The health log as an admin reads it: every entry and summary of victim's month. */
  async function healthLogState() {
    const entries = await api.call('GET', `/v1/health/entries?date=${VICTIM_ENTRY.date}`, { token: adminToken });
    const summaries = await api.call('GET', `/v1/health/summaries${HEALTH_QUERIES['listDailySummaries']}`, { token: adminToken });
    return { entries: entries.body, summaries: summaries.body };
  }

  beforeAll(async () => {
    // victim owns this deployment's health log; mallory holds every health scope but is not its owner.
    // Dexcom is configured (never called: starting an authorization only builds a URL), so the connect routes answer.
    // No settle lag: a write that got through shows in the change feed at once.
    api = await startTestApi({ env: { HEALTH_LOG_OWNER: VICTIM, READING_CHANGES_SETTLE_MS: '0', ...UNCALLED_DEXCOM_ENV } });
    victimToken = await api.token(VICTIM);
    // Every non-admin scope: only the per-user check stands between mallory and victim's data.
    if (credential === 'a JWT') attackerToken = await api.token(ATTACKER);
    else {
      const created = await api.container.get(AccessTokenRepository).create(ATTACKER, { name: 'mallory-sweep', scopes: [...USER_SCOPES] });
      ({ token: attackerToken } = created);
      attackerTokenId = created.view.token_id;
    }
    adminToken = await api.token('ops', SCOPES);

    const reading = await api.call('POST', `/v1/users/${VICTIM}/readings`, { token: victimToken, body: VICTIM_READING });
    const tokens = await api.call('PUT', `/v1/users/${VICTIM}/tokens/dexcom`, { token: victimToken, body: VICTIM_TOKENS });
    const job = await api.call('POST', `/v1/users/${VICTIM}/sync-jobs`, { token: victimToken, body: VICTIM_JOB });
    const entry = await api.call('PUT', `/v1/health/entries/${VICTIM_ENTRY.date}/${VICTIM_ENTRY.time}`, { token: victimToken, body: VICTIM_ENTRY.body });
    // victim has started connecting Dexcom: a pending connection that a disconnect getting through would remove.
    const connecting = await api.call('GET', `/v1/users/${VICTIM}/connections/dexcom/authorize`, { token: victimToken });
    const accessToken = await api.call('POST', `/v1/users/${VICTIM}/access-tokens`, { token: victimToken, body: VICTIM_ACCESS_TOKEN });
    expect([reading.status, tokens.status, job.status, entry.status, connecting.status, accessToken.status]).toEqual([201, 201, 201, 200, 200, 201]);
    victimJobId = job.body.job_id;
    PATH_VALUES['token_id'] = accessToken.body.token_id;
    leakMarkers = [
      VICTIM_READING.timestamp,
      String(VICTIM_READING.glucose_value),
      VICTIM_READING.device_info.device_id,
      VICTIM_READING.device_info.serial_number,
      VICTIM_TOKENS.access_token,
      VICTIM_TOKENS.refresh_token,
      VICTIM_TOKENS.token_type,
      VICTIM_TOKENS.scope,
      String(VICTIM_TOKENS.expires_at),
      VICTIM_JOB.scheduled_at,
      victimJobId,
      reading.body.created_at,
      tokens.body.created_at,
      job.body.created_at,
      VICTIM_ENTRY.body.note,
      'VictimDrug',
      accessToken.body.token,
      accessToken.body.token_id,
      accessToken.body.created_at,
      VICTIM_ACCESS_TOKEN.name,
    ];

    userRoutes = apiRoutes(api.container).filter(isUserScoped);
    userLists = userRoutes.filter(isUserList);
    for (const user of [VICTIM, ATTACKER, ABSENT]) stateBefore[user] = await stateOf(user);

    const ordered = [...userRoutes].sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
    for (const route of ordered) {
      const body = bodyFor(route);
      const victim = await api.call(route.method.toUpperCase(), pathFor(route, VICTIM), { token: attackerToken, body });
      const absent = await api.call(route.method.toUpperCase(), pathFor(route, ABSENT), { token: attackerToken, body });
      attacks.push({ key: keyOf(route), victim, absent });
    }

    stateBefore['health-log'] = await healthLogState();
    healthRoutes = apiRoutes(api.container).filter(isHealthLog);
    for (const route of [...healthRoutes].sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method))) {
      const method = route.method.toUpperCase();
      const path = `${pathFor(route, ATTACKER)}${HEALTH_QUERIES[route.operationId] ?? ''}`;
      const response = await api.call(method, path, { token: attackerToken, body: bodyFor(route) });
      const unknownRoute = await api.call(method, '/v1/health/nothing-here', { token: attackerToken, body: bodyFor(route) });
      healthAttacks.push({ key: keyOf(route), response, unknownRoute });
    }

    for (const user of [VICTIM, ATTACKER, ABSENT]) stateAfter[user] = await stateOf(user);
    stateAfter['health-log'] = await healthLogState();
  });

  afterAll(async () => {
    await api.stop();
  });

  describe('every /v1/users/{user_id}/… route', () => {
    it('when the sweep runs, it covers every user-scoped route of the route table in the README', () => {
      expect(attacks.map((attack) => attack.key)).toEqual(
        expect.arrayContaining([
          'POST /v1/users/{user_id}/readings',
          'GET /v1/users/{user_id}/readings',
          'GET /v1/users/{user_id}/readings/latest',
          'GET /v1/users/{user_id}/readings/stats',
          'DELETE /v1/users/{user_id}/readings/{timestamp}',
          'PUT /v1/users/{user_id}/tokens/{provider}',
          'GET /v1/users/{user_id}/tokens/{provider}',
          'DELETE /v1/users/{user_id}/tokens/{provider}',
          'POST /v1/users/{user_id}/sync-jobs',
          'GET /v1/users/{user_id}/sync-jobs',
          'GET /v1/users/{user_id}/connections/dexcom/authorize',
          'GET /v1/users/{user_id}/connections/dexcom',
          'DELETE /v1/users/{user_id}/connections/dexcom',
          'POST /v1/users/{user_id}/access-tokens',
          'GET /v1/users/{user_id}/access-tokens',
          'DELETE /v1/users/{user_id}/access-tokens/{token_id}',
        ]),
      );
      expect(attacks).toHaveLength(userRoutes.length);
    });

    it("when mallory calls it for victim, she is refused with a 403 or 404 problem", () => {
      const seen = Object.fromEntries(
        attacks.map(({ key, victim }) => [key, { refused: [403, 404].includes(victim.status), content_type: victim.headers.get('content-type') }]),
      );
      const expected = Object.fromEntries(
        attacks.map(({ key }) => [key, { refused: true, content_type: expect.stringMatching(/^application\/problem\+json\b/) }]),
      );
      expect(seen).toEqual(expected);
      for (const { victim } of attacks) {
        expect(victim.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: victim.status }));
      }
    });

    it("when mallory is refused, the response holds none of victim's data", () => {
      const leaks = Object.fromEntries(
        attacks.map(({ key, victim }) => {
          const text = JSON.stringify(observable(victim));
          return [key, leakMarkers.filter((marker) => text.includes(marker))];
        }),
      );
      expect(leaks).toEqual(Object.fromEntries(attacks.map(({ key }) => [key, []])));
    });

    it("when mallory is refused, the answer is the same whether or not victim's resource exists", () => {
      const forVictim = Object.fromEntries(attacks.map(({ key, victim }) => [key, observable(victim)]));
      const forAbsentUser = Object.fromEntries(attacks.map(({ key, absent }) => [key, observable(absent)]));
      expect(forVictim).toEqual(forAbsentUser);
    });

    it("when the sweep sends the routes' examples, none carries victim's data, so what it finds of victim's is victim's", () => {
      const bodyRoutes = [...userRoutes, ...healthRoutes].filter((route) => route.body !== undefined);
      const bodies = Object.fromEntries(bodyRoutes.map((route) => [route.operationId, bodyFor(route)]));
      expect(Object.keys(bodies)).toEqual(expect.arrayContaining(['storeReadings', 'storeTokens', 'scheduleSyncJob', 'putHealthEntry', 'createAccessToken']));
      const carried = Object.fromEntries(
        Object.entries(bodies).map(([operation, body]) => [operation, leakMarkers.filter((marker) => JSON.stringify(body).includes(marker))]),
      );
      expect(carried).toEqual(Object.fromEntries(Object.keys(bodies).map((operation) => [operation, []])));
    });

    it("when mallory's writes and deletes have been refused, victim's data is unchanged and nothing was stored elsewhere", () => {
      const victimBefore = stateBefore[VICTIM] as Awaited<ReturnType<typeof stateOf>>;
      expect(userLists.map((route) => route.operationId)).toEqual(expect.arrayContaining(['listReadings', 'listUserSyncJobs']));
      expect(victimBefore['listReadings']?.body.items).toEqual([expect.objectContaining({ timestamp: VICTIM_READING.timestamp, glucose_value: 187 })]);
      expect(victimBefore['tokens']).toEqual({ status: 200, body: expect.objectContaining({ token_type: 'VictimBearer', version: 1 }) });
      expect(victimBefore['listReadingChanges']?.body.changes).toEqual([
        expect.objectContaining({ kind: 'upsert', reading: expect.objectContaining({ timestamp: VICTIM_READING.timestamp, glucose_value: 187 }) }),
      ]);
      expect(victimBefore['listUserSyncJobs']?.body.items).toEqual([expect.objectContaining({ job_id: victimJobId })]);
      expect(victimBefore['connection']).toEqual({ status: 200, body: expect.objectContaining({ provider: 'dexcom', status: 'pending' }) });
      expect(victimBefore['accessTokens']).toEqual({ status: 200, body: { items: [expect.objectContaining({ token_id: PATH_VALUES['token_id'] })] } });
      expect(stateAfter[VICTIM]).toEqual(victimBefore);

      const nothing = {
        tokens: { status: 404, body: null },
        connection: { status: 404, body: null },
        accessTokens: { status: 200, body: { items: [] } },
        ...Object.fromEntries(userLists.map((route) => [route.operationId, emptyList(route)])),
      };
      expect(stateAfter[ABSENT]).toEqual(nothing);
      // Her own access token, when she attacks with one, is all she holds.
      const hers = attackerTokenId === undefined ? [] : [expect.objectContaining({ token_id: attackerTokenId, user_id: ATTACKER })];
      expect(stateAfter[ATTACKER]).toEqual({ ...nothing, accessTokens: { status: 200, body: { items: hers } } });
    });

    it('when mallory sends the same requests for her own user_id, each one succeeds', async () => {
      // The control: the bodies are valid and the token's scopes suffice, so the refusals above are the per-user check.
      // (Her own Dexcom authorize comes before the connection's status and delete: the routes keep their order within a method.)
      const seeded = await api.call('POST', `/v1/users/${ATTACKER}/readings`, { token: attackerToken, body: VICTIM_READING });
      expect(seeded.status).toBe(201);
      const ordered = [...userRoutes].sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
      const outcomes: Record<string, string> = {};
      // A resource the loop creates (her own access token) is what its later routes name.
      const own: Record<string, string> = { ...PATH_VALUES };
      for (const route of ordered) {
        const response = await api.call(route.method.toUpperCase(), pathFor(route, ATTACKER, own), { token: attackerToken, body: bodyFor(route) });
        if (route.operationId === 'createAccessToken') own['token_id'] = response.body.token_id;
        outcomes[keyOf(route)] = response.status >= 200 && response.status < 300 ? 'succeeded' : `${response.status}: ${JSON.stringify(response.body)}`;
      }
      expect(outcomes).toEqual(Object.fromEntries(ordered.map((route) => [keyOf(route), 'succeeded'])));
    });
  });

  describe('every /v1/health/… route (the log is victim\'s)', () => {
    it('when mallory calls it with every health scope, she gets the 404 of a route that does not exist', () => {
      expect(healthAttacks.map((attack) => attack.key).sort()).toEqual(healthRoutes.map(keyOf).sort());
      expect(healthAttacks.length).toBeGreaterThanOrEqual(6);
      const seen = Object.fromEntries(healthAttacks.map(({ key, response }) => [key, observable(response)]));
      const unknown = Object.fromEntries(healthAttacks.map(({ key, unknownRoute }) => [key, observable(unknownRoute)]));
      expect(seen).toEqual(unknown);
      for (const { response } of healthAttacks) expect(response.status).toBe(404);
    });

    it("when mallory's writes and deletes have been refused, the log is unchanged", () => {
      expect(stateBefore['health-log']).toEqual({
        entries: { items: [expect.objectContaining({ note: VICTIM_ENTRY.body.note })], next_cursor: null },
        summaries: { items: [expect.objectContaining({ date: VICTIM_ENTRY.date, entry_count: 1 })], next_cursor: null },
      });
      expect(stateAfter['health-log']).toEqual(stateBefore['health-log']);
    });

    it('when victim, the owner, sends the same requests, each one succeeds', async () => {
      const outcomes: Record<string, string> = {};
      for (const route of [...healthRoutes].sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method))) {
        const path = `${pathFor(route, VICTIM)}${HEALTH_QUERIES[route.operationId] ?? ''}`;
        const own = await api.call(route.method.toUpperCase(), path, { token: victimToken, body: bodyFor(route) });
        outcomes[keyOf(route)] = own.status >= 200 && own.status < 300 ? 'succeeded' : `${own.status}: ${JSON.stringify(own.body)}`;
      }
      expect(outcomes).toEqual(Object.fromEntries(healthRoutes.map((route) => [keyOf(route), 'succeeded'])));
    });
  });

  describe('GET /v1/sync-jobs/{job_id}', () => {
    it("when mallory asks for victim's job, she gets the same 404 as for a job that does not exist", async () => {
      const own = await api.call('GET', `/v1/sync-jobs/${victimJobId}`, { token: victimToken });
      expect(own.status).toBe(200);

      const victims = await api.call('GET', `/v1/sync-jobs/${victimJobId}`, { token: attackerToken });
      const missing = await api.call('GET', `/v1/sync-jobs/${randomUUID()}`, { token: attackerToken });
      expect(victims.status).toBe(404);
      expect(victims.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
      expect(observable(victims)).toEqual(observable(missing));
      const text = JSON.stringify(observable(victims));
      expect(leakMarkers.filter((marker) => text.includes(marker))).toEqual([]);
    });
  });

  describe('GET /v1/sync-jobs', () => {
    it('when mallory asks for the admin listing of due jobs, she gets 403 though an admin sees victim’s job there', async () => {
      const query = `?status=pending&due_before=${encodeURIComponent('2026-12-31T00:00:00.000Z')}`;
      const admin = await api.call('GET', `/v1/sync-jobs${query}`, { token: adminToken });
      expect(admin.status).toBe(200);
      expect(admin.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ job_id: victimJobId })]));

      for (const path of ['/v1/sync-jobs', `/v1/sync-jobs${query}`]) {
        const refused = await api.call('GET', path, { token: attackerToken });
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
        expect(refused.body).toEqual(expect.objectContaining({ status: 403, title: 'Forbidden' }));
        const text = JSON.stringify(observable(refused));
        expect(leakMarkers.filter((marker) => text.includes(marker))).toEqual([]);
      }
    });
  });

  describe('GET /v1/me', () => {
    it('when mallory asks whose credential she holds, she is told it is her own, with nothing of victim', async () => {
      const me = await api.call('GET', '/v1/me', { token: attackerToken });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(
        expect.objectContaining({ user_id: ATTACKER, credential: credential === 'a JWT' ? 'jwt' : 'access_token', scopes: [...USER_SCOPES].sort() }),
      );
      const text = JSON.stringify(me.body);
      expect(leakMarkers.filter((marker) => text.includes(marker))).toEqual([]);
    });
  });

  describe('an admin token', () => {
    it("when it reads victim's readings, it gets them", async () => {
      const listed = await api.call('GET', `/v1/users/${VICTIM}/readings`, { token: adminToken });
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({
        items: [expect.objectContaining({ user_id: VICTIM, timestamp: VICTIM_READING.timestamp, glucose_value: 187 })],
        next_cursor: null,
      });
      const latest = await api.call('GET', `/v1/users/${VICTIM}/readings/latest`, { token: adminToken });
      expect(latest.status).toBe(200);
      expect(latest.body).toEqual(listed.body.items[0]);
    });
  });
});
