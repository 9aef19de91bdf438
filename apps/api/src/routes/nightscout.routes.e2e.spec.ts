import { nightscoutEntryId } from '@vitals/models';
import { AccessTokenRepository } from '@vitals/repositories';
import { nightscoutSecret } from '../test-support/nightscout-connect.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { expectInvalid, expectProblem, manualClock } from '../test-support/route-fixtures.ts';
import { DEFAULT_ENTRIES_COUNT, NIGHTSCOUT_API_LEVEL } from './nightscout.routes.ts';

const clock = manualClock('2026-12-05T12:00:00.000Z');
const START = Date.parse('2026-12-05T00:00:00.000Z');
const FIVE_MINUTES = 300_000;

/** `count` sgv entries five minutes apart from START, as an uploader sends them. */
function entries(count: number, first = 0) {
  return Array.from({ length: count }, (_, index) => {
    const date = START + (first + index) * FIVE_MINUTES;
    return { type: 'sgv', sgv: 100 + ((first + index) % 50), date, dateString: new Date(date).toISOString(), direction: 'Flat', device: 'test-uploader' };
  });
}

describe('Nightscout v1 routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('POST /api/v1/entries[.json]', () => {
    it('answers 200 with an array as long as the upload, each with its _id, and a re-sent upload stores nothing twice', async () => {
      const token = await api.token('uploader');
      const sent = entries(12);
      const first = await api.call('POST', '/api/v1/entries', { token, body: sent });
      expect(first.status).toBe(200);
      expect(first.body).toHaveLength(12);
      sent.forEach((entry, index) => {
        expect(first.body[index]).toMatchObject({ ...entry, _id: nightscoutEntryId('uploader', new Date(entry.date).toISOString()) });
      });
      const again = await api.call('POST', '/api/v1/entries.json', { token, body: sent });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const listed = await api.call('GET', '/v1/users/uploader/readings?limit=1000', { token });
      expect(listed.body.items).toHaveLength(12);
    });

    it('takes one object as well as an array, answering an array', async () => {
      const token = await api.token('single');
      const [entry] = entries(1);
      const response = await api.call('POST', '/api/v1/entries.json', { token, body: entry });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([expect.objectContaining({ ...entry, _id: expect.stringMatching(/^[0-9a-f]{24}$/) })]);
    });

    it('stores none of mbg and cal entries, echoing them without _id, and stores the sgv entries beside them', async () => {
      const token = await api.token('xdrip-mixed');
      const mbg = { type: 'mbg', mbg: 112, date: START, dateString: new Date(START).toISOString(), device: 'xDrip-DexcomG6' };
      const cal = { type: 'cal', slope: 1000, intercept: 20000, scale: 1, date: START };
      const response = await api.call('POST', '/api/v1/entries', { token, body: [mbg, ...entries(1), cal] });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([mbg, expect.objectContaining({ type: 'sgv', _id: expect.any(String) }), cal]);
      const listed = await api.call('GET', '/api/v1/entries.json?count=100', { token });
      expect(listed.body.map((entry: { type: string }) => entry.type)).toEqual(['sgv']);
    });

    it('refuses an upload with a bad entry as a whole, pointing at the entry and its Nightscout field', async () => {
      const token = await api.token('bad-upload');
      const [good] = entries(1);
      const response = await api.call('POST', '/api/v1/entries', {
        token,
        body: [good, { type: 'sgv', sgv: 2, date: START + FIVE_MINUTES }, { type: 'sgv', sgv: 100, direction: 'Sideways', date: START }],
      });
      expectInvalid(response, [
        { pointer: '/body/1/sgv', message: 'must be 20..600 mg/dL (39 is LOW, 401 HIGH)' },
        { pointer: '/body/2/direction' },
      ]);
      const listed = await api.call('GET', '/api/v1/entries.json', { token });
      expect(listed.body).toEqual([]);
    });

    it('refuses a reading dated more than 24 h after the server time', async () => {
      const token = await api.token('future');
      const response = await api.call('POST', '/api/v1/entries', { token, body: { type: 'sgv', sgv: 100, date: Date.parse('2026-12-07T00:00:00Z') } });
      expect(response.status).toBe(400);
    });

    it('needs readings:write', async () => {
      const token = await api.token('reader', ['readings:read']);
      expectProblem(await api.call('POST', '/api/v1/entries', { token, body: entries(1) }), 403, 'forbidden');
      expectProblem(await api.call('POST', '/api/v1/entries', { body: entries(1) }), 401, 'unauthorized');
    });
  });

  describe('GET /api/v1/entries…', () => {
    const user = 'follower';
    let token: string;
    let all: { date: number; _id: string }[];
    beforeAll(async () => {
      token = await api.token(user);
      const upload = await api.call('POST', '/api/v1/entries', { token, body: entries(300) });
      expect(upload.status).toBe(200);
      all = [...upload.body].reverse();
    });
    const get = async (path: string) => {
      const response = await api.call('GET', path, { token });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      return response.body as { date: number; _id: string }[];
    };

    it(`answers the newest ${DEFAULT_ENTRIES_COUNT} by default, newest first, on every path`, async () => {
      for (const path of ['/api/v1/entries', '/api/v1/entries.json', '/api/v1/entries/sgv', '/api/v1/entries/sgv.json']) {
        expect(await get(path)).toEqual(all.slice(0, DEFAULT_ENTRIES_COUNT));
      }
    });

    it('answers count entries, and every one there is when count is larger', async () => {
      expect(await get('/api/v1/entries.json?count=288')).toEqual(all.slice(0, 288));
      expect(await get('/api/v1/entries.json?count=5000')).toEqual(all);
    });

    it('reads a count beyond one page of the table page after page, each entry once', async () => {
      const many = await api.token('many');
      // 1,150 readings five minutes apart, ending just before START: two uploads, as the cap per upload is 1,000.
      for (const [count, first] of [[1000, -1150], [150, -150]] as const) {
        expect((await api.call('POST', '/api/v1/entries', { token: many, body: entries(count, first) })).status).toBe(200);
      }
      const response = await api.call('GET', '/api/v1/entries.json?count=1120', { token: many });
      const dates = (response.body as { date: number }[]).map((entry) => entry.date);
      expect(dates).toEqual(Array.from({ length: 1120 }, (_, index) => START - (index + 1) * FIVE_MINUTES));
    });

    it('current is the newest entry alone, whatever count says', async () => {
      expect(await get('/api/v1/entries/current.json')).toEqual(all.slice(0, 1));
      expect(await get('/api/v1/entries/current?count=50')).toEqual(all.slice(0, 1));
    });

    it('applies find[date] and find[dateString] bounds, exclusive and inclusive', async () => {
      const at = (index: number) => START + index * FIVE_MINUTES;
      const dates = (list: { date: number }[]) => list.map((entry) => entry.date);
      expect(dates(await get(`/api/v1/entries.json?count=100&find[date][$gte]=${at(295)}`))).toEqual([at(299), at(298), at(297), at(296), at(295)]);
      expect(dates(await get(`/api/v1/entries.json?count=100&find[date][$gt]=${at(297)}`))).toEqual([at(299), at(298)]);
      expect(dates(await get(`/api/v1/entries.json?count=2&find[date][$lt]=${at(10)}`))).toEqual([at(9), at(8)]);
      expect(dates(await get(`/api/v1/entries.json?count=100&find[date][$gte]=${at(3)}&find[date][$lte]=${at(5)}`))).toEqual([at(5), at(4), at(3)]);
      const iso = (index: number) => new Date(at(index)).toISOString();
      expect(dates(await get(`/api/v1/entries.json?count=100&find%5BdateString%5D%5B%24gt%5D=${iso(297)}`))).toEqual([at(299), at(298)]);
      expect(dates(await get(`/api/v1/entries.json?count=100&find[dateString][$gte]=${iso(1)}&find[dateString][$lte]=${iso(2)}`))).toEqual([at(2), at(1)]);
      expect(await get(`/api/v1/entries.json?find[date][$gt]=${at(5)}&find[date][$lt]=${at(5)}`)).toEqual([]);
    });

    it('answers an empty list for another type, and ignores query parameters it does not know', async () => {
      expect(await get('/api/v1/entries.json?find[type]=mbg')).toEqual([]);
      expect(await get('/api/v1/entries.json?find[type]=sgv&count=3&rr=1764936000000&_=17&foo[bar]=baz')).toEqual(all.slice(0, 3));
    });

    it('answers a problem for a bound or count that is not a number', async () => {
      const response = await api.call('GET', '/api/v1/entries.json?count=ten&find[date][$gte]=yesterday&find[dateString][$lte]=soon', { token });
      expectInvalid(response, [{ pointer: '/query/count' }, { pointer: '/query/find[date][$gte]' }, { pointer: '/query/find[dateString][$lte]' }]);
    });

    it('keeps the /v1 routes refusing unknown query parameters', async () => {
      expectInvalid(await api.call('GET', `/v1/users/${user}/readings?rr=1`, { token }), [{ pointer: '/query/rr' }]);
    });

    it('needs readings:read, and a token', async () => {
      const writer = await api.token(user, ['readings:write']);
      expectProblem(await api.call('GET', '/api/v1/entries.json', { token: writer }), 403, 'forbidden');
      expectProblem(await api.call('GET', '/api/v1/entries.json'), 401, 'unauthorized');
      expectProblem(await api.call('GET', '/api/v1/entries/current.json', { token: 'not-a-token' }), 401, 'unauthorized');
    });
  });

  describe('credentials', () => {
    it('takes a personal access token in every form Nightscout clients send, each acting for the token’s user', async () => {
      const secret = await nightscoutSecret(api.container, 'forms');
      const upload = await fetch(`${api.url}/api/v1/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-secret': secret.sha1 },
        body: JSON.stringify(entries(2)),
      });
      expect(upload.status).toBe(200);
      const forms: [string, RequestInit][] = [
        ['api-secret: SHA-1', { headers: { 'api-secret': secret.sha1 } }],
        ['api-secret: SHA-1 in capitals', { headers: { 'api-secret': secret.sha1.toUpperCase() } }],
        ['api-secret: the token', { headers: { 'api-secret': secret.token } }],
        ['Bearer: the token', { headers: { authorization: `Bearer ${secret.token}` } }],
        ['Bearer: a JWT', { headers: { authorization: `Bearer ${await api.token('forms')}` } }],
      ];
      for (const [form, init] of forms) {
        const response = await fetch(`${api.url}/api/v1/entries.json?count=5`, init);
        expect({ form, status: response.status, count: ((await response.json()) as unknown[]).length }).toEqual({ form, status: 200, count: 2 });
      }
      const query = await fetch(`${api.url}/api/v1/entries/current.json?token=${secret.token}`);
      expect({ status: query.status, dates: ((await query.json()) as { date: number }[]).map((entry) => entry.date) }).toEqual({ status: 200, dates: [START + FIVE_MINUTES] });
    });

    it('refuses a revoked token on the next request, an unknown SHA-1 and a token of the wrong form, with a 401 problem', async () => {
      const secret = await nightscoutSecret(api.container, 'revoked');
      expect((await fetch(`${api.url}/api/v1/entries.json`, { headers: { 'api-secret': secret.sha1 } })).status).toBe(200);
      await api.container.get(AccessTokenRepository).revoke('revoked', secret.token_id);
      for (const headers of [{ 'api-secret': secret.sha1 }, { 'api-secret': 'f'.repeat(40) }, { 'api-secret': 'plain-old-nightscout-secret' }]) {
        const response = await api.call('GET', '/api/v1/entries.json', { headers });
        expectProblem(response, 401, 'unauthorized');
      }
      expectProblem(await api.call('GET', `/api/v1/entries.json?token=${secret.token}`), 401, 'unauthorized');
      const verdict = await fetch(`${api.url}/api/v1/verifyauth`, { headers: { 'api-secret': secret.sha1 } });
      expect(await verdict.json()).toMatchObject({ status: 200, message: { message: 'UNAUTHORIZED', canRead: false } });
    });

    it('a read-only token reads and may not upload; verifyauth says so', async () => {
      const reader = await nightscoutSecret(api.container, 'caregiver', ['readings:read']);
      expect((await api.call('GET', '/api/v1/entries.json', { headers: { 'api-secret': reader.sha1 } })).status).toBe(200);
      expectProblem(await api.call('POST', '/api/v1/entries', { headers: { 'api-secret': reader.sha1 }, body: entries(1) }), 403, 'forbidden');
      const verdict = await fetch(`${api.url}/api/v1/verifyauth`, { headers: { 'api-secret': reader.sha1 } });
      expect(await verdict.json()).toMatchObject({ message: { message: 'OK', canRead: true, canWrite: false } });
      expect(api.logText()).not.toContain(reader.sha1);
      expect(api.logText()).not.toContain(reader.token);
    });
  });

  describe('probes', () => {
    it('status.json says ok, the API level and the server time, to anyone; authorized says whether the credentials hold', async () => {
      const anonymous = await api.call('GET', '/api/v1/status.json?t=1');
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toMatchObject({
        status: 'ok',
        version: NIGHTSCOUT_API_LEVEL,
        serverTimeEpoch: clock.now().getTime(),
        serverTime: clock.now().toISOString(),
        apiEnabled: true,
        settings: { units: 'mg/dl' },
        authorized: false,
      });
      const known = await api.call('GET', '/api/v1/status.json', { token: await api.token('prober') });
      expect(known.body.authorized).toBe(true);
    });

    it('verifyauth answers 200 always, with what the credentials may do', async () => {
      const verdict = async (token?: string) => (await api.call('GET', '/api/v1/verifyauth', { token })).body;
      expect(await verdict()).toEqual({
        status: 200,
        message: { canRead: false, canWrite: false, isAdmin: false, message: 'UNAUTHORIZED', rolefound: 'NOTFOUND', permissions: 'ROLE' },
      });
      expect(await verdict('garbage')).toMatchObject({ message: { message: 'UNAUTHORIZED' } });
      expect(await verdict(await api.token('prober'))).toMatchObject({ status: 200, message: { canRead: true, canWrite: true, message: 'OK' } });
      expect(await verdict(await api.token('prober', ['readings:read']))).toMatchObject({ message: { canRead: true, canWrite: false, message: 'OK' } });
    });

    it('experiments/test is ok for valid credentials and a 401 problem without', async () => {
      const ok = await api.call('GET', '/api/v1/experiments/test', { token: await api.token('prober', ['readings:read']) });
      expect({ status: ok.status, body: ok.body }).toEqual({ status: 200, body: { status: 'ok' } });
      expectProblem(await api.call('GET', '/api/v1/experiments/test'), 401, 'unauthorized');
    });
  });

  it('audits each Nightscout call with the credentials’ user as its subject', async () => {
    const token = await api.token('audited');
    await api.call('GET', '/api/v1/entries.json', { token });
    const line = api.logs().find((log) => log['component'] === 'audit' && log['action'] === 'nightscoutEntriesJson' && log['actor'] === 'audited');
    expect(line).toMatchObject({ subject: 'audited', status: 200 });
  });
});
