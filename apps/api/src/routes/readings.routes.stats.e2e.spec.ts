import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  DAY_MS,
  expectInvalid,
  itRejectsUnauthorisedCalls,
  manualClock,
  postReadings,
  readingBody,
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
});
