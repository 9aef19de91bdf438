import { GlucoseStatisticsSchema } from '@vitals/models';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  DAY_MS,
  DEVICE,
  expectInvalid,
  itRejectsUnauthorisedCalls,
  manualClock,
  postReadings,
  readingBody,
} from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

/** The expected AGP row of an hour: null percentiles without CGM time, else each close to the hand-computed value. */
function hourRow(hour: number, count: number, minutes = 0, percentiles: readonly number[] = []) {
  const [p5, p25, p50, p75, p95] = [0, 1, 2, 3, 4].map((index) => {
    const value = percentiles[index];
    return value === undefined ? null : expect.closeTo(value, 9);
  });
  return { hour, count, minutes, p5, p25, p50, p75, p95 };
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

    it('when the window holds a known set of readings, answers the hand-computed statistics by time', async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=${to}`, { token });
      expect(response.status).toBe(200);
      /*
       * One 5-minute stream (intervals ending in the day: 5 each, the 9 h 35 gap is no interval) → each reading stands
       * for at most 10 minutes. 23:55 (400) is followed by 00:00, so it covers nothing of the window.
       * hour 00: 50 60 100 180 200 → 5 min each; 300 → 10 (gap after). hour 10: 70 54 250 → 5 each; 251 → 10 (to `to`).
       * active 60 min of 1440 = 4.1667 %; mean = (250+300+500+900+1000+3000+350+270+1250+2510) / 60 = 10330 / 60 = 172.1667
       * Σ (v − mean)² t / 60 → sd = 95.35970; cv = 55.38801; gmi = 3.31 + 0.02392 × 172.1667 = 7.42823
       * ranges of 60 min: <54 {50} 5 → 8.333; 54–69 {60, 54} 10 → 16.667; 70–180 {100, 180, 70} 15 → 25;
       *   181–250 {200, 250} 10 → 16.667; >250 {300, 251} 20 → 33.333
       * time-weighted R7 (knots at piece centres, minutes):
       *   hour 00: 50@2.5 60@7.5 100@12.5 180@17.5 200@22.5 300@30, span 27.5:
       *     p5 3.875 → 52.75; p25 9.375 → 75; p50 16.25 → 160; p75 23.125 → 208.333; p95 28.625 → 281.667
       *   hour 10: 54@2.5 70@7.5 250@12.5 251@20, span 17.5:
       *     p5 3.375 → 56.8; p25 6.875 → 68; p50 11.25 → 205; p75 15.625 → 250.41667; p95 19.125 → 250.88333
       */
      const percentiles: Record<number, readonly number[]> = {
        0: [52.75, 75, 160, 208 + 1 / 3, 281 + 2 / 3],
        10: [56.8, 68, 205, 250 + 5 / 12, 250 + 53 / 60],
      };
      const hourly = Array.from({ length: 24 }, (_, hour) =>
        hourRow(hour, hour === 0 ? 6 : hour === 10 ? 4 : 0, hour === 0 ? 35 : hour === 10 ? 25 : 0, percentiles[hour]),
      );
      const body = response.body;
      expect(body).toMatchObject({
        from,
        to,
        time_zone: 'UTC',
        count: 10,
        mean: expect.closeTo(10_330 / 60, 9),
        sd: expect.closeTo(95.3597, 4),
        sd_definition: 'population',
        cv: expect.closeTo(55.388, 3),
        gmi: expect.closeTo(3.31 + (0.02392 * 10_330) / 60, 9),
        time_in_ranges: {
          very_low: expect.closeTo(100 / 12, 9),
          low: expect.closeTo(100 / 6, 9),
          in_range: expect.closeTo(25, 9),
          high: expect.closeTo(100 / 6, 9),
          very_high: expect.closeTo(100 / 3, 9),
        },
        data_sufficiency: {
          percent: expect.closeTo((60 / 1440) * 100, 9),
          active_minutes: 60,
          window_minutes: 1440,
          days: 1,
          sufficient: false,
          reason:
            'the window spans 1 days; the consensus needs at least 14; CGM time is active 4.17 % of the window; the consensus needs at least 70 %',
        },
        streams: [{ source: 'dexcom', device_id: DEVICE.device_id, serial_number: DEVICE.serial_number, count: 10, cadence_minutes: 5 }],
      });
      expect(body.hourly).toEqual(hourly);
      expect(GlucoseStatisticsSchema.safeParse(body).success).toBe(true);
    });

    it('when to is moved onto a reading, leaves that reading out (to is exclusive)', async () => {
      const response = await api.call('GET', `${path}?from=${from}&to=2026-04-01T10:10:00.000Z`, { token });
      expect(response.body.count).toBe(8);
      expect(response.body.hourly[10].count).toBe(2);
      // 10 h 10 min = 610 minutes; hour 00's 35 minutes and 10:00, 10:05 (5 each) are active
      expect(response.body.data_sufficiency).toMatchObject({ window_minutes: 610, active_minutes: 45 });
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
      expect(response.body.hourly[12]).toEqual(hourRow(12, 4, 25, [56.8, 68, 205, 250 + 5 / 12, 250 + 53 / 60]));
      expect(response.body.mean).toBeCloseTo(10_330 / 60, 9);
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
        data_sufficiency: { percent: 0, active_minutes: 0, window_minutes: 60, sufficient: false },
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
      expect(response.body).toMatchObject({ count: 1, mean: 123, data_sufficiency: { window_minutes: 14 * 1440, days: 14, active_minutes: 30 } });
    });

    it('when the window spans exactly 366 days, answers 200; one millisecond more answers 400 at /query/from', async () => {
      const ok = await api.call('GET', `${path}?from=2025-04-01T00:00:00.000Z&to=2026-04-02T00:00:00.000Z`, { token });
      expect(ok.status).toBe(200);
      const tooLong = await api.call('GET', `${path}?from=2025-03-31T23:59:59.999Z&to=2026-04-02T00:00:00.000Z`, { token });
      expectInvalid(tooLong, [{ pointer: '/query/from', message: 'the window may span at most 366 days' }]);
      clock.set('2026-03-10T12:00:00.000Z');
      const defaultTo = await api.call('GET', `${path}?from=${new Date(Date.parse('2026-03-10T12:00:00.000Z') - 400 * DAY_MS).toISOString()}`, { token });
      expectInvalid(defaultTo, [{ pointer: '/query/from', message: 'the window may span at most 366 days' }]);
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
