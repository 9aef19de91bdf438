import { startTestApi, USER_SCOPES, type TestApi } from '../test-support/test-api.ts';
import {
  DAY_MS,
  DEVICE,
  cgmSeries,
  expectInvalid,
  expectPageSizes,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  minutesAfter,
  postReadings,
  readingBody,
  tamperedCursor,
  walkPages,
} from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

/** The expected AGP row of an hour: null percentiles without readings, else each close to the hand-computed value. */
function hourRow(hour: number, count: number, percentiles: readonly number[] = []) {
  const [p5, p25, p50, p75, p95] = [0, 1, 2, 3, 4].map((index) => {
    const value = percentiles[index];
    return value === undefined ? null : expect.closeTo(value, 9);
  });
  return { hour, count, p5, p25, p50, p75, p95 };
}

describe('readings routes', () => {
  let api: TestApi;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('stores a reading and lists it back', async () => {
    const token = await api.token('alice');
    const stored = await api.call('POST', '/v1/users/alice/readings', {
      token,
      body: { timestamp: '2026-03-01T08:00:00.000Z', glucose_value: 6.5, glucose_unit: 'mmol/L', device_info: { device_id: 'g7', serial_number: 's1' } },
    });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ user_id: 'alice', glucose_value: 117, glucose_unit: 'mg/dL' });
    const listed = await api.call('GET', '/v1/users/alice/readings', { token });
    expect(listed.body).toEqual({ items: [stored.body], next_cursor: null });
  });

  describe('POST /v1/users/{user_id}/readings', () => {
    const user = 'writer';
    const path = `/v1/users/${user}/readings`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
    });
    const list = async (query = '') => (await api.call('GET', `${path}${query}`, { token })).body;

    it('when one mg/dL reading is posted, answers 201 with the stored reading and its defaults', async () => {
      clock.set('2026-03-10T12:00:00.000Z');
      const response = await api.call('POST', path, { token, body: readingBody('2026-03-01T08:00:00.000Z', 142) });
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        user_id: user,
        timestamp: '2026-03-01T08:00:00.000Z',
        glucose_value: 142,
        glucose_unit: 'mg/dL',
        trend_direction: 'unknown',
        device_info: DEVICE,
        reading_type: 'CGM',
        source: 'dexcom',
        created_at: '2026-03-10T12:00:00.000Z',
        updated_at: '2026-03-10T12:00:00.000Z',
      });
      expect((await list('?from=2026-03-01T08:00:00.000Z&to=2026-03-01T08:00:00.000Z')).items).toEqual([response.body]);
    });

    it('when the reading is in mmol/L, stores it converted to whole mg/dL', async () => {
      const response = await api.call('POST', path, {
        token,
        body: readingBody('2026-03-01T08:05:00.000Z', 5.5, { glucose_unit: 'mmol/L', trend_direction: 'rising', reading_type: 'manual', source: 'meter' }),
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ glucose_value: 99, glucose_unit: 'mg/dL', trend_direction: 'rising', reading_type: 'manual', source: 'meter' });
    });

    it('when an array is posted, stores every reading and answers { items }', async () => {
      const bodies = cgmSeries('2026-03-02T00:00:00.000Z', 3, (index) => 100 + index);
      const response = await api.call('POST', path, { token, body: bodies });
      expect(response.status).toBe(201);
      expect(response.body.items.map((reading: { timestamp: string; glucose_value: number }) => [reading.timestamp, reading.glucose_value])).toEqual([
        ['2026-03-02T00:00:00.000Z', 100],
        ['2026-03-02T00:05:00.000Z', 101],
        ['2026-03-02T00:10:00.000Z', 102],
      ]);
      expect((await list('?from=2026-03-02T00:00:00.000Z&to=2026-03-02T23:59:59.999Z')).items).toEqual(response.body.items);
    });

    it('when a stored timestamp is posted again, replaces the reading instead of adding one', async () => {
      const timestamp = '2026-03-03T06:00:00.000Z';
      await api.call('POST', path, { token, body: readingBody(timestamp, 90) });
      clock.set('2026-03-10T13:00:00.000Z');
      const again = await api.call('POST', path, { token, body: readingBody(timestamp, 95) });
      expect(again.status).toBe(201);
      const listed = await list(`?from=${timestamp}&to=${timestamp}`);
      expect(listed).toEqual({ items: [again.body], next_cursor: null });
      expect(listed.items[0]).toMatchObject({ glucose_value: 95, updated_at: '2026-03-10T13:00:00.000Z' });
    });

    it('when stored readings are posted again unchanged, answers them as stored: created_at and updated_at stay those of the first post', async () => {
      clock.set('2026-03-10T14:00:00.000Z');
      const bodies = cgmSeries('2026-03-03T12:00:00.000Z', 2, (index) => 120 + index);
      const first = await api.call('POST', path, { token, body: bodies });
      clock.set('2026-03-10T15:00:00.000Z');
      const again = await api.call('POST', path, { token, body: bodies });
      const single = await api.call('POST', path, { token, body: bodies[0] });
      expect([again.status, single.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect(single.body).toEqual(first.body.items[0]);
      expect(first.body.items[0]).toMatchObject({ created_at: '2026-03-10T14:00:00.000Z', updated_at: '2026-03-10T14:00:00.000Z' });
      expect((await list('?from=2026-03-03T12:00:00.000Z&to=2026-03-03T12:05:00.000Z')).items).toEqual(first.body.items);
    });

    it('when an array repeats a timestamp, keeps the last of them', async () => {
      const timestamp = '2026-03-04T06:00:00.000Z';
      const response = await api.call('POST', path, { token, body: [readingBody(timestamp, 80), readingBody(timestamp, 81)] });
      expect(response.status).toBe(201);
      expect(response.body.items).toHaveLength(1);
      expect((await list(`?from=${timestamp}&to=${timestamp}`)).items.map((reading: { glucose_value: number }) => reading.glucose_value)).toEqual([81]);
    });

    it('when a sensor LOW or HIGH is posted as its sentinel with out_of_range, stores it', async () => {
      const response = await api.call('POST', path, {
        token,
        body: [
          readingBody('2026-03-05T01:00:00.000Z', 39, { out_of_range: 'low' }),
          readingBody('2026-03-05T02:00:00.000Z', 401, { out_of_range: 'high', glucose_unit: 'mmol/L' }),
        ],
      });
      expect(response.status).toBe(201);
      expect(response.body.items.map((reading: object) => ({ ...reading }))).toEqual([
        expect.objectContaining({ glucose_value: 39, out_of_range: 'low', glucose_unit: 'mg/dL' }),
        expect.objectContaining({ glucose_value: 401, out_of_range: 'high', glucose_unit: 'mg/dL' }),
      ]);
    });

    it.each([
      [19, 'must be 20..600 mg/dL'],
      [601, 'must be 20..600 mg/dL'],
    ])('when glucose_value is %p, answers 400 at /body/glucose_value and stores nothing', async (value, message) => {
      const timestamp = '2026-03-06T00:00:00.000Z';
      expectInvalid(await api.call('POST', path, { token, body: readingBody(timestamp, value) }), [{ pointer: '/body/glucose_value', message }]);
      expect((await list(`?from=${timestamp}&to=${timestamp}`)).items).toEqual([]);
    });

    it('when out_of_range does not match the sentinel value, answers 400 at /body/glucose_value', async () => {
      expectInvalid(await api.call('POST', path, { token, body: readingBody('2026-03-06T00:00:00.000Z', 50, { out_of_range: 'low' }) }), [
        { pointer: '/body/glucose_value', message: 'must be 39 mg/dL when out_of_range is "low"' },
      ]);
    });

    it('when required fields are missing, answers 400 naming each', async () => {
      expectInvalid(await api.call('POST', path, { token, body: {} }), [
        { pointer: '/body/timestamp' },
        { pointer: '/body/glucose_value' },
        { pointer: '/body/device_info' },
      ]);
    });

    it('when fields have the wrong type, value or are unknown, answers 400 naming each', async () => {
      const response = await api.call('POST', path, {
        token,
        body: {
          // No offset: RFC 3339 with any offset is accepted, a local time is not.
          timestamp: '2026-03-06T00:00:00',
          glucose_value: '120',
          glucose_unit: 'mg',
          trend_direction: 'up',
          device_info: { ...DEVICE, color: 'red' },
          user_id: 'someone-else',
        },
      });
      expectInvalid(response, [
        { pointer: '/body/timestamp', message: /^must be an RFC 3339 date-time with an offset/ },
        { pointer: '/body/glucose_value' },
        { pointer: '/body/glucose_unit' },
        { pointer: '/body/trend_direction' },
        { pointer: '/body/device_info/color', message: 'is not a known field' },
        { pointer: '/body/user_id', message: 'is not a known field' },
      ]);
    });

    it('when one reading of an array is invalid, answers 400 pointing into the array and stores none of it', async () => {
      const bodies = [readingBody('2026-03-07T00:00:00.000Z', 100), readingBody('2026-03-07T00:05:00.000Z', 700), readingBody('2026-03-07T00:10:00.000Z', 100, { extra: 1 })];
      expectInvalid(await api.call('POST', path, { token, body: bodies }), [
        { pointer: '/body/1/glucose_value', message: 'must be 20..600 mg/dL' },
        { pointer: '/body/2/extra', message: 'is not a known field' },
      ]);
      expect((await list('?from=2026-03-07T00:00:00.000Z&to=2026-03-07T23:59:59.999Z')).items).toEqual([]);
    });

    it('when the array is empty or holds more than 1000 readings, answers 400 at /body', async () => {
      expectInvalid(await api.call('POST', path, { token, body: [] }), [{ pointer: '/body' }]);
      const tooMany = cgmSeries('2026-03-08T00:00:00.000Z', 1001, () => 100);
      expectInvalid(await api.call('POST', path, { token, body: tooMany }), [{ pointer: '/body' }]);
      expect((await list('?from=2026-03-08T00:00:00.000Z&to=2026-03-12T00:00:00.000Z')).items).toEqual([]);
    });

    it('when the body is not sent as JSON, answers 400 at /body', async () => {
      expectInvalid(await api.call('POST', path, { token, rawBody: 'glucose=120', headers: { 'content-type': 'text/plain' } }), [
        { pointer: '/body', message: 'a JSON body is required (Content-Type: application/json)' },
      ]);
      expectInvalid(await api.call('POST', path, { token }), [{ pointer: '/body' }]);
    });

    it('when an admin posts for another user, stores the reading for that user', async () => {
      const admin = await api.token('ops', [...USER_SCOPES, 'admin']);
      const response = await api.call('POST', '/v1/users/patient-7/readings', { token: admin, body: readingBody('2026-03-01T00:00:00.000Z', 111) });
      expect(response.status).toBe(201);
      expect(response.body.user_id).toBe('patient-7');
      const own = await api.call('GET', '/v1/users/patient-7/readings', { token: await api.token('patient-7') });
      expect(own.body.items).toEqual([response.body]);
    });

    it('when an admin names a user id longer than 256 characters, answers 400 at /path/user_id', async () => {
      const admin = await api.token('ops', [...USER_SCOPES, 'admin']);
      const response = await api.call('POST', `/v1/users/${'u'.repeat(257)}/readings`, { token: admin, body: readingBody('2026-03-01T00:00:00.000Z', 111) });
      expectInvalid(response, [{ pointer: '/path/user_id' }]);
    });

    itRejectsUnauthorisedCalls(getApi, {
      method: 'POST',
      path,
      user,
      scope: 'readings:write',
      body: readingBody('2026-03-09T00:00:00.000Z', 100),
      otherUserPath: '/v1/users/someone-else/readings',
    });
  });

  describe('GET /v1/users/{user_id}/readings', () => {
    const user = 'pager';
    const path = `/v1/users/${user}/readings`;
    const start = '2026-01-01T00:00:00.000Z';
    const TOTAL = 2_100;
    const stored = cgmSeries(start, TOTAL, (index) => 70 + (index % 200));
    const timestamps = stored.map((reading) => reading.timestamp);
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      await postReadings(api, user, stored, token);
    });

    it('when paging ascending with limit=137, returns every stored reading exactly once, oldest first', async () => {
      const walk = await walkPages<{ timestamp: string; glucose_value: number; user_id: string }>(api, `${path}?limit=137`, token);
      expect(walk.items.map((reading) => reading.timestamp)).toEqual(timestamps);
      expect(new Set(walk.items.map((reading) => reading.timestamp)).size).toBe(TOTAL);
      expect(walk.items.map((reading) => reading.glucose_value)).toEqual(stored.map((reading) => reading.glucose_value));
      expect(walk.items.every((reading) => reading.user_id === user)).toBe(true);
      expectPageSizes(walk.sizes, TOTAL, 137);
    });

    it('when paging descending with limit=137, returns every stored reading exactly once, newest first', async () => {
      const walk = await walkPages<{ timestamp: string }>(api, `${path}?limit=137&order=desc`, token);
      expect(walk.items.map((reading) => reading.timestamp)).toEqual([...timestamps].reverse());
      expectPageSizes(walk.sizes, TOTAL, 137);
    });

    it('when from and to are given, returns exactly the readings between them, both ends included, across pages', async () => {
      const from = '2026-01-02T00:00:00.000Z';
      const to = '2026-01-03T00:00:00.000Z';
      const expected = timestamps.filter((timestamp) => timestamp >= from && timestamp <= to);
      expect(expected).toHaveLength(289);
      const asc = await walkPages<{ timestamp: string }>(api, `${path}?from=${from}&to=${to}&limit=50`, token);
      expect(asc.items.map((reading) => reading.timestamp)).toEqual(expected);
      const desc = await walkPages<{ timestamp: string }>(api, `${path}?from=${from}&to=${to}&limit=50&order=desc`, token);
      expect(desc.items.map((reading) => reading.timestamp)).toEqual([...expected].reverse());
    });

    it('when only from or only to is given, the other end is open', async () => {
      const after = await walkPages<{ timestamp: string }>(api, `${path}?from=${timestamps[2090]}&limit=1000`, token);
      expect(after.items.map((reading) => reading.timestamp)).toEqual(timestamps.slice(2090));
      const before = await walkPages<{ timestamp: string }>(api, `${path}?to=${timestamps[4]}`, token);
      expect(before.items.map((reading) => reading.timestamp)).toEqual(timestamps.slice(0, 5));
    });

    it('when from and to carry a UTC offset, reads them as the instants they name', async () => {
      const response = await api.call('GET', `${path}?from=${encodeURIComponent('2026-01-01T01:00:00+01:00')}&to=${encodeURIComponent('2026-01-01T01:10:00+01:00')}`, { token });
      expect(response.status).toBe(200);
      expect(response.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(timestamps.slice(0, 3));
    });

    it('when limit is 1 or 1000, answers pages of exactly that size', async () => {
      const one = await api.call('GET', `${path}?limit=1`, { token });
      expect(one.status).toBe(200);
      expect(one.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual([timestamps[0]]);
      expect(one.body.next_cursor).toEqual(expect.any(String));
      const thousand = await api.call('GET', `${path}?limit=1000`, { token });
      expect(thousand.status).toBe(200);
      expect(thousand.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(timestamps.slice(0, 1000));
      const next = await api.call('GET', `${path}?limit=1000&cursor=${thousand.body.next_cursor}`, { token });
      expect(next.body.items[0].timestamp).toBe(timestamps[1000]);
    });

    it('when no limit is given, answers pages of 100', async () => {
      const response = await api.call('GET', path, { token });
      expect(response.body.items).toHaveLength(100);
      expect(response.body.next_cursor).toEqual(expect.any(String));
    });

    it.each(['0', '1001', 'abc', '1.5', '-1', '', '1&limit=2'])('when limit is %p, answers 400 at /query/limit', async (limit) => {
      expectInvalid(await api.call('GET', `${path}?limit=${limit}`, { token }), [{ pointer: '/query/limit' }]);
    });

    it('when the cursor comes from another query, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', `${path}?limit=5`, { token });
      const cursor = first.body.next_cursor as string;
      const otherQueries = [
        `${path}?limit=5&order=desc&cursor=${cursor}`,
        `${path}?limit=5&from=2026-01-01T00:00:00.000Z&cursor=${cursor}`,
      ];
      for (const query of otherQueries) {
        expectInvalid(await api.call('GET', query, { token }), [{ pointer: '/query/cursor', message: /is not a cursor of this query/ }]);
      }
      const otherUser = await api.call('GET', `/v1/users/writer/readings?limit=5&cursor=${cursor}`, { token: await api.token('writer') });
      expectInvalid(otherUser, [{ pointer: '/query/cursor', message: /is not a cursor of this query/ }]);
      const sameQuery = await api.call('GET', `${path}?limit=5&cursor=${cursor}`, { token });
      expect(sameQuery.body.items[0].timestamp).toBe(timestamps[5]);
    });

    it('when the cursor has been tampered with or was never issued, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', `${path}?limit=5`, { token });
      for (const cursor of [tamperedCursor(first.body.next_cursor), 'not-a-cursor', `${first.body.next_cursor}x`]) {
        expectInvalid(await api.call('GET', `${path}?limit=5&cursor=${encodeURIComponent(cursor)}`, { token }), [{ pointer: '/query/cursor' }]);
      }
      expectInvalid(await api.call('GET', `${path}?cursor=`, { token }), [{ pointer: '/query/cursor' }]);
    });

    it('when from is after to, answers 400 at /query/to', async () => {
      expectInvalid(await api.call('GET', `${path}?from=2026-01-02T00:00:00.000Z&to=2026-01-01T00:00:00.000Z`, { token }), [
        { pointer: '/query/to', message: 'must not be before from' },
      ]);
    });

    it('when from, to or order are malformed or a parameter is unknown, answers 400 naming each', async () => {
      const response = await api.call('GET', `${path}?from=yesterday&to=2026-02-30T00:00:00Z&order=sideways&page=2`, { token });
      expectInvalid(response, [
        { pointer: '/query/from' },
        { pointer: '/query/to' },
        { pointer: '/query/order' },
        { pointer: '/query/page', message: 'is not a known field' },
      ]);
    });

    it('when the user has no readings, answers an empty last page', async () => {
      const response = await api.call('GET', '/v1/users/nobody/readings', { token: await api.token('nobody') });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], next_cursor: null });
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path, user, scope: 'readings:read', otherUserPath: '/v1/users/writer/readings' });

    describe('GET /v1/users/{user_id}/readings/latest', () => {
      it('when the user has readings, answers the newest', async () => {
        const response = await api.call('GET', `${path}/latest`, { token });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ user_id: user, timestamp: timestamps[TOTAL - 1], glucose_value: stored[TOTAL - 1]?.glucose_value });
      });

      it('when the user has no readings, answers 404', async () => {
        const response = await api.call('GET', '/v1/users/nobody/readings/latest', { token: await api.token('nobody') });
        expectProblem(response, 404, 'notFound');
        expect(response.body.detail).toBe('This user has no readings');
      });

      itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: `${path}/latest`, user, scope: 'readings:read', otherUserPath: '/v1/users/writer/readings/latest' });
    });

    describe('GET /v1/users/{user_id}/readings/stats over many pages', () => {
      it('when the window holds more readings than one page, counts every one of them', async () => {
        const response = await api.call('GET', `${path}/stats?from=2026-01-01T00:00:00.000Z&to=2026-01-08T00:00:00.000Z`, { token });
        expect(response.status).toBe(200);
        // 7 days at a 5-minute cadence: 2016 readings, the one at `to` left out.
        expect(response.body.count).toBe(2016);
        expect(response.body.data_sufficiency).toEqual({ expected_count: 2016, percent: 100 });
        expect(response.body.hourly.reduce((sum: number, hour: { count: number }) => sum + hour.count, 0)).toBe(2016);
      });
    });
  });

  describe('GET /v1/users/{user_id}/readings/stats', () => {
    const user = 'stats';
    const path = `/v1/users/${user}/readings/stats`;
    const from = '2026-04-01T00:00:00.000Z';
    const to = '2026-04-02T00:00:00.000Z';
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      // Readings more than 24 h after the server's clock are refused: these are stored as of the next day.
      clock.set('2026-04-02T12:00:00.000Z');
      await postReadings(
        api,
        user,
        [
          // hour 00 UTC: one reading in each range, the first exactly at `from`
          readingBody('2026-04-01T00:00:00.000Z', 50),
          readingBody('2026-04-01T00:05:00.000Z', 60),
          readingBody('2026-04-01T00:10:00.000Z', 100),
          readingBody('2026-04-01T00:15:00.000Z', 180),
          readingBody('2026-04-01T00:20:00.000Z', 200),
          readingBody('2026-04-01T00:25:00.000Z', 300),
          // hour 10 UTC: the range boundaries
          readingBody('2026-04-01T10:00:00.000Z', 70),
          readingBody('2026-04-01T10:05:00.000Z', 54),
          readingBody('2026-04-01T10:10:00.000Z', 250),
          readingBody('2026-04-01T10:15:00.000Z', 251),
          // outside [from, to): just before `from`, and exactly at `to`
          readingBody('2026-03-31T23:55:00.000Z', 400),
          readingBody('2026-04-02T00:00:00.000Z', 400),
        ],
        token,
      );
    });

    it('when the window holds a known set of readings, answers the hand-computed statistics', async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=${to}`, { token });
      expect(response.status).toBe(200);
      // values 50 60 100 180 200 300 70 54 250 251: sum 1515, n 10, squared deviations sum 82294.5
      const mean = 151.5;
      const sd = Math.sqrt(82_294.5 / 10);
      // R-7 percentiles of hour 00 [50 60 100 180 200 300] and hour 10 [54 70 250 251], interpolated by hand.
      const percentiles: Record<number, readonly number[]> = { 0: [52.5, 70, 140, 195, 275], 10: [56.4, 66, 160, 250.25, 250.85] };
      const hourly = Array.from({ length: 24 }, (_, hour) => hourRow(hour, hour === 0 ? 6 : hour === 10 ? 4 : 0, percentiles[hour]));
      expect(response.body).toEqual({
        from,
        to,
        time_zone: 'UTC',
        count: 10,
        mean: expect.closeTo(mean, 9),
        sd: expect.closeTo(sd, 9),
        cv: expect.closeTo((sd / mean) * 100, 9),
        gmi: expect.closeTo(3.31 + 0.02392 * mean, 9),
        time_in_ranges: { very_low: expect.closeTo(10, 9), low: expect.closeTo(20, 9), in_range: expect.closeTo(30, 9), high: expect.closeTo(20, 9), very_high: expect.closeTo(20, 9) },
        data_sufficiency: { expected_count: 288, percent: expect.closeTo((10 / 288) * 100, 9) },
        hourly,
      });
      expect(response.body.sd).toBeCloseTo(90.7163, 4);
      expect(response.body.gmi).toBeCloseTo(6.93388, 5);
    });

    it('when to is moved onto a reading, leaves that reading out (to is exclusive)', async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=2026-04-01T10:10:00.000Z`, { token });
      expect(response.body.count).toBe(8);
      expect(response.body.hourly[10].count).toBe(2);
      // 10 h 10 min = 610 minutes, one reading expected every 5
      expect(response.body.data_sufficiency.expected_count).toBe(122);
    });

    it('when from and to carry offsets, answers the window normalised to UTC', async () => {
      const response = await api.call('GET', `${path}?from=${encodeURIComponent('2026-04-01T02:00:00+02:00')}&to=${encodeURIComponent('2026-04-02T02:00:00+02:00')}`, { token });
      expect(response.body).toMatchObject({ from, to, count: 10 });
    });

    it('when a time zone is given, buckets the hourly percentiles by its clock hours', async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=${to}&time_zone=Europe/Berlin`, { token });
      expect(response.status).toBe(200);
      expect(response.body.time_zone).toBe('Europe/Berlin');
      // Berlin is UTC+2 in April: 00 UTC is 02 local, 10 UTC is 12 local.
      const counts = response.body.hourly.map((hour: { count: number }) => hour.count);
      expect(counts).toEqual(Array.from({ length: 24 }, (_, hour) => (hour === 2 ? 6 : hour === 12 ? 4 : 0)));
      expect(response.body.hourly[12]).toEqual(hourRow(12, 4, [56.4, 66, 160, 250.25, 250.85]));
      expect(response.body.mean).toBeCloseTo(151.5, 9);
    });

    it('when the window holds no readings, answers count 0 and nulls', async () => {
      const response = await api.call('GET', `${path}?from=2026-05-01T00:00:00.000Z&to=2026-05-01T01:00:00.000Z`, { token });
      expect(response.body).toMatchObject({
        count: 0,
        mean: null,
        sd: null,
        cv: null,
        gmi: null,
        time_in_ranges: { very_low: null, low: null, in_range: null, high: null, very_high: null },
        data_sufficiency: { expected_count: 12, percent: 0 },
      });
    });

    it("when no window is given, answers the 14 days up to the server clock's now", async () => {
      clock.set('2026-03-10T12:00:00.000Z');
      const recent = '2026-03-10T11:00:00.000Z';
      await postReadings(api, 'stats-now', [readingBody(recent, 123)]);
      const response = await api.call('GET', '/v1/users/stats-now/readings/stats', { token: await api.token('stats-now') });
      expect(response.status).toBe(200);
      expect(Date.parse(response.body.to) - Date.parse(response.body.from)).toBe(14 * DAY_MS);
      expect(response.body.to).toBe('2026-03-10T12:00:00.000Z');
      expect(response.body).toMatchObject({ count: 1, mean: 123, data_sufficiency: { expected_count: 4032 } });
    });

    it('when the window spans exactly 90 days, answers 200; one millisecond more answers 400 at /query/from', async () => {
      const ok = await api.call('GET', `${path}?from=2026-01-01T00:00:00.000Z&to=2026-04-01T00:00:00.000Z`, { token });
      expect(ok.status).toBe(200);
      const tooLong = await api.call('GET', `${path}?from=2025-12-31T23:59:59.999Z&to=2026-04-01T00:00:00.000Z`, { token });
      expectInvalid(tooLong, [{ pointer: '/query/from', message: 'the window may span at most 90 days' }]);
      clock.set('2026-03-10T12:00:00.000Z');
      const defaultTo = await api.call('GET', `${path}?from=${new Date(Date.parse('2026-03-10T12:00:00.000Z') - 100 * DAY_MS).toISOString()}`, { token });
      expectInvalid(defaultTo, [{ pointer: '/query/from', message: 'the window may span at most 90 days' }]);
    });

    it('when from is not before to, answers 400 at /query/from', async () => {
      expectInvalid(await api.call('GET', `${path}?from=${to}&to=${from}`, { token }), [{ pointer: '/query/from', message: 'must be before to' }]);
      expectInvalid(await api.call('GET', `${path}?from=${from}&to=${from}`, { token }), [{ pointer: '/query/from', message: 'must be before to' }]);
    });

    it('when the time zone, an instant or a parameter is bad, answers 400 naming each', async () => {
      expectInvalid(await api.call('GET', `${path}?from=${from}&to=${to}&time_zone=Mars/Olympus_Mons`, { token }), [
        { pointer: '/query/time_zone', message: 'is not an IANA time zone' },
      ]);
      expectInvalid(await api.call('GET', `${path}?from=2026-04-01&to=${to}&limit=5`, { token }), [
        { pointer: '/query/from' },
        { pointer: '/query/limit', message: 'is not a known field' },
      ]);
    });

    it("when the stats of another user are asked by an admin, answers them", async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=${to}`, { token: await api.token('ops', ['readings:read', 'admin']) });
      expect(response.body.count).toBe(10);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: `${path}?from=${from}&to=${to}`, user, scope: 'readings:read', otherUserPath: `/v1/users/pager/readings/stats?from=${from}&to=${to}` });
  });

  describe('DELETE /v1/users/{user_id}/readings/{timestamp}', () => {
    const user = 'deleter';
    const path = `/v1/users/${user}/readings`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      await postReadings(api, user, cgmSeries('2026-02-01T08:00:00.000Z', 3, () => 120), token);
    });

    it('when the reading exists, answers 204 and it is gone; deleting it again answers 404', async () => {
      const deleted = await api.call('DELETE', `${path}/2026-02-01T08:05:00.000Z`, { token });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBe('');
      const listed = await api.call('GET', path, { token });
      expect(listed.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(['2026-02-01T08:00:00.000Z', '2026-02-01T08:10:00.000Z']);
      const again = await api.call('DELETE', `${path}/2026-02-01T08:05:00.000Z`, { token });
      expectProblem(again, 404, 'notFound');
      expect(again.body.detail).toBe('No reading at this timestamp');
    });

    it('when the timestamp carries an offset, deletes the reading at the instant it names', async () => {
      const deleted = await api.call('DELETE', `${path}/${encodeURIComponent('2026-02-01T09:10:00+01:00')}`, { token });
      expect(deleted.status).toBe(204);
      const listed = await api.call('GET', path, { token });
      expect(listed.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(['2026-02-01T08:00:00.000Z']);
    });

    it('when the timestamp is not an instant, answers 400 at /path/timestamp', async () => {
      expectInvalid(await api.call('DELETE', `${path}/2026-02-01`, { token }), [{ pointer: '/path/timestamp' }]);
      expectInvalid(await api.call('DELETE', `${path}/2026-02-30T08:00:00Z`, { token }), [{ pointer: '/path/timestamp' }]);
    });

    itRejectsUnauthorisedCalls(getApi, {
      method: 'DELETE',
      path: `${path}/2026-02-01T08:00:00.000Z`,
      user,
      scope: 'readings:write',
      otherUserPath: '/v1/users/pager/readings/2026-01-01T00:00:00.000Z',
    });
  });

  describe('audit log', () => {
    it('when readings are read, logs who read whose data with which operation and outcome, and no glucose values', async () => {
      await postReadings(api, 'audited', [readingBody('2026-02-02T00:00:00.000Z', 287, { trend_direction: 'falling_rapidly' })]);
      const admin = await api.token('auditor', ['readings:read', 'admin']);
      const own = await api.call('GET', '/v1/users/audited/readings', { token: await api.token('audited'), headers: { 'x-request-id': 'audit-own-1' } });
      const byAdmin = await api.call('GET', '/v1/users/audited/readings/latest', { token: admin, headers: { 'x-request-id': 'audit-admin-1' } });
      expect([own.status, byAdmin.status]).toEqual([200, 200]);
      expect(own.headers.get('x-request-id')).toBe('audit-own-1');

      const audit = api.logs().filter((line) => line['component'] === 'audit');
      const ownLine = audit.find((line) => line['request_id'] === 'audit-own-1');
      const adminLine = audit.find((line) => line['request_id'] === 'audit-admin-1');
      expect(ownLine).toMatchObject({ actor: 'audited', action: 'listReadings', subject: 'audited', status: 200 });
      expect(adminLine).toMatchObject({ actor: 'auditor', action: 'latestReading', subject: 'audited', status: 200 });
      const allowed = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'component', 'request_id', 'actor', 'action', 'subject', 'status']);
      for (const line of [ownLine, adminLine]) expect(Object.keys(line ?? {}).filter((key) => !allowed.has(key))).toEqual([]);
      const text = api.logText();
      expect(text).not.toMatch(/glucose_value|falling_rapidly|SN-0001/);
    });

    it('when a request is rejected by validation, the audit line records its status', async () => {
      await api.call('GET', '/v1/users/audited/readings?limit=0', { token: await api.token('audited'), headers: { 'x-request-id': 'audit-bad-1' } });
      expect(api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === 'audit-bad-1')).toMatchObject({
        actor: 'audited',
        action: 'listReadings',
        status: 400,
      });
    });

    it('when a call is refused (no token, another user), the audit line records the attempt', async () => {
      await api.call('GET', '/v1/users/audited/readings', { headers: { 'x-request-id': 'audit-401' } });
      await api.call('GET', '/v1/users/audited/readings', { token: await api.token('mallory'), headers: { 'x-request-id': 'audit-403' } });
      const audit = (id: string) => api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === id);
      expect(audit('audit-401')).toMatchObject({ action: 'listReadings', subject: 'audited', status: 401 });
      expect(audit('audit-401')?.['actor']).toBeUndefined();
      expect(audit('audit-403')).toMatchObject({ actor: 'mallory', action: 'listReadings', subject: 'audited', status: 403 });
    });
  });

  describe('errors of any route', () => {
    it('when a route that takes no query parameters gets one, answers 400 naming it', async () => {
      const token = await api.token('alice');
      expectInvalid(await api.call('GET', '/v1/users/alice/readings/latest?limit=5', { token }), [
        { pointer: '/query/limit', message: 'is not a known field' },
      ]);
    });

    it('when the route does not exist, answers 404 problem+json', async () => {
      const token = await api.token('alice');
      for (const [method, path] of [
        ['GET', '/v1/users/alice/glucose'],
        ['GET', '/nope'],
        ['POST', '/v1/users/alice/readings/latest'],
      ] as const) {
        const response = await api.call(method, path, { token });
        expectProblem(response, 404, 'notFound');
        expect(response.body.detail).toBe('No such route');
      }
      expectProblem(await api.call('GET', '/v2/anything'), 404, 'notFound');
    });

    it('when the JSON body is malformed, answers 400 problem+json without echoing it', async () => {
      const response = await api.call('POST', '/v1/users/alice/readings', {
        token: await api.token('alice'),
        rawBody: '{"timestamp": "2026-03-01T08:00:00.000Z", "glucose_value": 1',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(response, 400, 'malformedBody');
      expect(response.body.detail).toBe('The body is not valid JSON');
      expect(JSON.stringify(response.body)).not.toContain('glucose_value');
    });

    it('when the client sends a plain X-Request-Id, echoes it; an unsafe one is replaced', async () => {
      const kept = await api.call('GET', '/v1/users/alice/readings', { token: await api.token('alice'), headers: { 'x-request-id': 'trace-42.a' } });
      expect(kept.headers.get('x-request-id')).toBe('trace-42.a');
      const replaced = await api.call('GET', '/nope', { headers: { 'x-request-id': 'bad id <script>' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(replaced.body.request_id).toBe(replaced.headers.get('x-request-id'));
    });
  });
});

describe('readings routes with BODY_LIMIT_BYTES=2048', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('when the body is over the limit, answers 413 problem+json and stores nothing', async () => {
    const token = await api.token('big');
    const bodies = cgmSeries('2026-03-01T00:00:00.000Z', 30, () => 100);
    expect(JSON.stringify(bodies).length).toBeGreaterThan(2048);
    const response = await api.call('POST', '/v1/users/big/readings', { token, body: bodies });
    expectProblem(response, 413, 'payloadTooLarge');
    expect((await api.call('GET', '/v1/users/big/readings', { token })).body.items).toEqual([]);
  });

  it('when the body is under the limit, stores it', async () => {
    const token = await api.token('big');
    const response = await api.call('POST', '/v1/users/big/readings', { token, body: cgmSeries('2026-03-02T00:00:00.000Z', 5, () => 100) });
    expect(response.status).toBe(201);
    expect(minutesAfter('2026-03-02T00:00:00.000Z', 20)).toBe(response.body.items[4].timestamp);
  });
});
