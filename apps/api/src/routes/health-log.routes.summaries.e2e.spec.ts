import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  expectInvalid,
  expectPageSizes,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  tamperedCursor,
  walkPages,
} from '../test-support/route-fixtures.ts';
import { putEntry } from '../test-support/health-log-entries.ts';

const clock = manualClock('2025-10-01T00:00:00.000Z');

describe('health-log routes', () => {
  let api: TestApi;
  let token: string;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ clock, env: { HEALTH_LOG_OWNER: 'patient' } });
    token = await api.token('patient');
  });
  afterAll(async () => {
    await api.stop();
  });

  const put = (date: string, time: string, body: object) => putEntry(api, token, date, time, body);
  const summary = (date: string) => api.call('GET', `/v1/health/summaries/${date}`, { token });

  describe('GET /v1/health/summaries and /v1/health/summaries/{date}', () => {
    const days = ['2025-09-01', '2025-09-03', '2025-09-04', '2025-09-07', '2025-09-10', '2025-09-11', '2025-09-20', '2025-09-28', '2025-09-30'];
    beforeAll(async () => {
      clock.set('2025-10-02T00:00:00.000Z');
      for (const [index, date] of days.entries()) {
        await put(date, '0900', { medications: { Paracetamol: '1g' }, pain: { back: String(index) }, activities: { walk: 10 * (index + 1) } });
      }
      await put('2025-09-01', '2100', { medications: { Paracetamol: '1g', Melatonin: '3mg' }, pain: { back: '4' }, sleep: '6:30', o2: '95', bpr: '118/76' });
    });

    it('when one day is asked, answers its exact summary', async () => {
      const response = await summary('2025-09-01');
      expect([response.status, response.body]).toEqual([
        200,
        {
          date: '2025-09-01',
          entry_count: 2,
          max_pain_level: 4,
          mean_max_pain: 2,
          medication_doses: { Paracetamol: 2, Melatonin: 1 },
          activity_minutes: { walk: 10 },
          min_o2_percent: 95,
          mean_systolic: 118,
          mean_diastolic: 76,
          sleep_minutes: 390,
          updated_at: '2025-10-02T00:00:00.000Z',
        },
      ]);
    });

    it('when a day has no entries, answers 404; a malformed date answers 400 at /path/date', async () => {
      expectProblem(await summary('2025-09-02'), 404, 'notFound');
      expectInvalid(await summary('2025-9-2'), [{ pointer: '/path/date' }]);
    });

    it('when a range is listed, answers the summaries of the days with entries, by date', async () => {
      const response = await api.call('GET', '/v1/health/summaries?from=2025-09-01&to=2025-09-30', { token });
      expect(response.status).toBe(200);
      expect(response.body.next_cursor).toBeNull();
      expect(response.body.items.map((day: { date: string }) => day.date)).toEqual(days);
      expect(response.body.items[0]).toEqual((await summary('2025-09-01')).body);
      expect(response.body.items[8]).toMatchObject({ date: '2025-09-30', entry_count: 1, max_pain_level: 8, activity_minutes: { walk: 90 } });
    });

    it('when a range is paged with limit=2 or 1, returns every summary once, in date order', async () => {
      const two = await walkPages<{ date: string }>(api, '/v1/health/summaries?from=2025-09-01&to=2025-09-30&limit=2', token);
      expect(two.items.map((day) => day.date)).toEqual(days);
      expectPageSizes(two.sizes, days.length, 2);
      const one = await walkPages<{ date: string }>(api, '/v1/health/summaries?from=2025-09-02&to=2025-09-29&limit=1', token);
      expect(one.items.map((day) => day.date)).toEqual(days.slice(1, 8));
    });

    it('when the range spans 366 days it is listed; 367 answers 400 at /query/to', async () => {
      const leapYear = await api.call('GET', '/v1/health/summaries?from=2024-01-01&to=2024-12-31', { token });
      expect([leapYear.status, leapYear.body]).toEqual([200, { items: [], next_cursor: null }]);
      expectInvalid(await api.call('GET', '/v1/health/summaries?from=2024-01-01&to=2025-01-01', { token }), [
        { pointer: '/query/to', message: 'the range may span at most 366 days' },
      ]);
    });

    it('when from is after to, answers 400 at /query/to', async () => {
      expectInvalid(await api.call('GET', '/v1/health/summaries?from=2025-09-30&to=2025-09-01', { token }), [
        { pointer: '/query/to', message: 'must not be before from' },
      ]);
      const oneDay = await api.call('GET', '/v1/health/summaries?from=2025-09-30&to=2025-09-30', { token });
      expect(oneDay.body.items.map((day: { date: string }) => day.date)).toEqual(['2025-09-30']);
    });

    it('when from or to is missing or malformed, or a parameter unknown, answers 400 naming each', async () => {
      expectInvalid(await api.call('GET', '/v1/health/summaries', { token }), [{ pointer: '/query/from' }, { pointer: '/query/to' }]);
      expectInvalid(await api.call('GET', '/v1/health/summaries?from=2025-09-31&to=yesterday&order=desc', { token }), [
        { pointer: '/query/from' },
        { pointer: '/query/to' },
        { pointer: '/query/order', message: 'is not a known field' },
      ]);
      for (const limit of ['0', '1001', 'x']) {
        expectInvalid(await api.call('GET', `/v1/health/summaries?from=2025-09-01&to=2025-09-30&limit=${limit}`, { token }), [{ pointer: '/query/limit' }]);
      }
    });

    it('when the cursor is from another range or tampered with, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', '/v1/health/summaries?from=2025-09-01&to=2025-09-30&limit=2', { token });
      const cursor = first.body.next_cursor as string;
      expectInvalid(await api.call('GET', `/v1/health/summaries?from=2025-09-01&to=2025-09-29&limit=2&cursor=${cursor}`, { token }), [{ pointer: '/query/cursor' }]);
      expectInvalid(await api.call('GET', `/v1/health/summaries?from=2025-09-01&to=2025-09-30&limit=2&cursor=${tamperedCursor(cursor)}`, { token }), [{ pointer: '/query/cursor' }]);
      const next = await api.call('GET', `/v1/health/summaries?from=2025-09-01&to=2025-09-30&limit=2&cursor=${cursor}`, { token });
      expect(next.body.items.map((day: { date: string }) => day.date)).toEqual(days.slice(2, 4));
    });

    describe('list auth', () => {
      itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/health/summaries?from=2025-09-01&to=2025-09-30', user: 'patient', scope: 'health:read' });
    });
    describe('one-day auth', () => {
      itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/health/summaries/2025-09-01', user: 'patient', scope: 'health:read' });
    });
  });
});
