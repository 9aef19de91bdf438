import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  cgmSeries,
  expectInvalid,
  expectPageSizes,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  postReadings,
  tamperedCursor,
  walkPages,
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
        // By time: each reading stands for its 5 minutes, so the 7 days are all active.
        expect(response.body.data_sufficiency).toMatchObject({ active_minutes: 7 * 1440, window_minutes: 7 * 1440, percent: 100 });
        expect(response.body.hourly.reduce((sum: number, hour: { count: number }) => sum + hour.count, 0)).toBe(2016);
      });
    });
  });
});
