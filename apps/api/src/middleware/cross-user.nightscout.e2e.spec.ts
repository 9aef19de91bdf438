import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import type { Route } from '../routes/route.ts';
import { nightscoutSecret, type NightscoutSecret } from '../test-support/nightscout-connect.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../test-support/test-api.ts';

/**
 * The Nightscout routes name no user: the credentials carry it. Every one of
 * them, called with another user's credentials (every scope but admin, or
 * admin; every form, the JWT of Nightscout's sign-in exchange included), answers exactly what it answers a user with no data, and a write
 * lands with the caller, never with the user whose data is there.
 */
const VICTIM = 'ns-victim';
const ATTACKER = 'ns-mallory';
const ABSENT = 'ns-nobody';

const VICTIM_ENTRIES = [
  { type: 'sgv', sgv: 187, date: Date.parse('2026-02-03T04:05:06.789Z'), direction: 'TripleDown', device: 'victim-g7-NS-42', noise: 3 },
  { type: 'sgv', sgv: 211, date: Date.parse('2026-02-03T04:10:06.789Z'), direction: 'RATE OUT OF RANGE', device: 'victim-g7-NS-42', rssi: 77 },
];
const MARKERS = ['victim-g7-NS-42', '2026-02-03T04:05:06.789Z', String(Date.parse('2026-02-03T04:05:06.789Z')), 'TripleDown', 'RATE OUT OF RANGE', VICTIM];

const isNightscout = (route: Route) => route.credentials === 'nightscout';

/** What a client observes, less what differs per request by design (request id, server time). */
function observable(response: ApiResponse) {
  const body: unknown = response.body;
  let rest: unknown = body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { request_id: _requestId, serverTime: _time, serverTimeEpoch: _epoch, ...others } = body as Record<string, unknown>;
    rest = others;
  }
  return { status: response.status, content_type: response.headers.get('content-type'), body: rest };
}

describe('cross-user access on the Nightscout routes', () => {
  let api: TestApi;
  let routes: Route[];
  const tokens: Record<string, string> = {};
  let attackerSecret: NightscoutSecret;
  /** The JWT the sign-in exchange answers for the attacker's access token (nightscout-connect's source, AndroidAPS v3). */
  let attackerExchanged: string;

  beforeAll(async () => {
    // No settle lag: the victim's readings are in the v3 history at once, so a read that reached them would show.
    api = await startTestApi({ env: { READING_CHANGES_SETTLE_MS: '0' } });
    routes = apiRoutes(api.container).filter(isNightscout);
    for (const user of [VICTIM, ATTACKER, ABSENT]) tokens[user] = await api.token(user);
    tokens['admin'] = await api.token('ns-ops', SCOPES);
    attackerSecret = await nightscoutSecret(api.container, ATTACKER);
    const exchanged = await api.call('GET', `/api/v2/authorization/request/${attackerSecret.token}`);
    expect(exchanged.status).toBe(200);
    attackerExchanged = exchanged.body.token;
    const stored = await api.call('POST', '/api/v1/entries', { token: tokens[VICTIM], body: VICTIM_ENTRIES });
    expect(stored.status).toBe(200);
  });
  afterAll(async () => {
    await api.stop();
  });

  const victimReadings = async () => (await api.call('GET', `/v1/users/${VICTIM}/readings?limit=1000`, { token: tokens['admin'] })).body;

  it('covers every Nightscout route', () => {
    expect(routes.map((route) => `${route.method.toUpperCase()} ${route.path}`).sort()).toEqual(
      [
        'GET /api/v1/entries',
        'GET /api/v1/entries.json',
        'GET /api/v1/entries/current',
        'GET /api/v1/entries/current.json',
        'GET /api/v1/entries/sgv',
        'GET /api/v1/entries/sgv.json',
        'GET /api/v1/experiments/test',
        'GET /api/v1/status.json',
        'GET /api/v1/verifyauth',
        'GET /api/v3/entries/history/{last_modified}',
        'POST /api/v1/entries',
        'POST /api/v1/entries.json',
      ].sort(),
    );
  });

  /** The attacker's credentials in every form, and an admin's JWT: a header set, or a `?token=`. */
  const callers = (): [string, { headers?: Record<string, string>; query?: string }][] => [
    ['attacker, Bearer JWT', { headers: { authorization: `Bearer ${tokens[ATTACKER]}` } }],
    ['attacker, Bearer access token', { headers: { authorization: `Bearer ${attackerSecret.token}` } }],
    ['attacker, api-secret SHA-1', { headers: { 'api-secret': attackerSecret.sha1 } }],
    ['attacker, api-secret token', { headers: { 'api-secret': attackerSecret.token } }],
    ['attacker, ?token=', { query: `token=${attackerSecret.token}` }],
    ['attacker, Bearer JWT from the sign-in exchange', { headers: { authorization: `Bearer ${attackerExchanged}` } }],
    ['admin, Bearer JWT', { headers: { authorization: `Bearer ${tokens['admin']}` } }],
  ];

  it('a read with another user’s credentials, in every form, answers what it answers a user without data, and none of the victim’s', async () => {
    for (const [who, { headers, query: tokenQuery }] of callers()) {
      for (const route of routes.filter((candidate) => candidate.method === 'get')) {
        const params = [route.path.startsWith('/api/v1/entries') ? 'count=1000&find[date][$gte]=0' : '', tokenQuery ?? ''].filter(Boolean).join('&');
        const query = params === '' ? '' : `?${params}`;
        const path = route.path.replace('{last_modified}', '0');
        const seen = await api.call('GET', `${path}${query}`, { headers });
        const absent = await api.call('GET', `${path}${params === '' ? '' : `?${params.replace(/(^|&)token=[^&]*/, '')}`}`, { token: tokens[ABSENT] });
        expect({ who, route: route.operationId, ...observable(seen) }).toEqual({ who, route: route.operationId, ...observable(absent) });
        for (const marker of MARKERS) expect({ who, route: route.operationId, leaked: JSON.stringify(seen.body).includes(marker) }).toEqual({ who, route: route.operationId, leaked: false });
      }
    }
  });

  it('a write with another user’s credentials lands with that user, and the victim’s readings stay as they were', async () => {
    const before = await victimReadings();
    expect(before.items).toHaveLength(2);
    for (const [who, { headers, query }] of callers()) {
      for (const route of routes.filter((candidate) => candidate.method === 'post')) {
        // The victim's own dates, so that a write that went to the victim would overwrite what is there.
        const body = VICTIM_ENTRIES.map((entry) => ({ ...entry, sgv: 99, device: who.startsWith('admin') ? 'ops-pen' : 'mallory-pen' }));
        const response = await api.call('POST', `${route.path}${query === undefined ? '' : `?${query}`}`, { headers, body });
        expect({ who, route: route.operationId, status: response.status }).toEqual({ who, route: route.operationId, status: 200 });
      }
    }
    expect(await victimReadings()).toEqual(before);
    const attackers = await api.call('GET', '/api/v1/entries.json', { token: tokens[ATTACKER] });
    expect(attackers.body.map((entry: { device: string }) => entry.device)).toEqual(['mallory-pen', 'mallory-pen']);
    const victims = await api.call('GET', '/api/v1/entries.json', { token: tokens[VICTIM] });
    expect(victims.body.map((entry: { sgv: number }) => entry.sgv)).toEqual([211, 187]);
    // Same instants, two users: two different _ids.
    expect(attackers.body.map((entry: { _id: string }) => entry._id)).not.toEqual(victims.body.map((entry: { _id: string }) => entry._id));
  });
});
