import { startTestApi, USER_SCOPES, type TestApi } from '../test-support/test-api.ts';
import {
  DEVICE,
  cgmSeries,
  expectInvalid,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  minutesAfter,
  readingBody,
} from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

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
        srv_modified: Date.parse('2026-03-10T12:00:00.000Z'),
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

    it("when a reading carries Dexcom's details, stores them and reads them back; a bad trend word is a 400 at its pointer", async () => {
      const timestamp = '2026-03-05T03:00:00.000Z';
      const dexcom = { record_id: 'a1b2', trend: 'singleDown', trend_rate: -2.4, transmitter_generation: 'g6+', display_device: 'android' };
      const response = await api.call('POST', path, { token, body: readingBody(timestamp, 150, { trend_direction: 'singleDown', dexcom }) });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ trend_direction: 'falling', dexcom });
      expect((await list(`?from=${timestamp}&to=${timestamp}`)).items).toEqual([response.body]);
      expectInvalid(
        await api.call('POST', path, { token, body: readingBody('2026-03-05T03:05:00.000Z', 150, { dexcom: { ...dexcom, trend: 'down' } }) }),
        [{ pointer: '/body/dexcom/trend' }],
      );
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
