import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { expectInvalid, expectProblem, itRejectsUnauthorisedCalls, manualClock } from '../test-support/route-fixtures.ts';
import { keyOf, putEntry } from '../test-support/health-log-entries.ts';

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
  const entry = (date: string, time: string) => api.call('GET', `/v1/health/entries/${date}/${time}`, { token });

  describe('PUT, GET and DELETE /v1/health/entries/{date}/{time}', () => {
    const full = {
      medications: { Oxycodone: '5mg', Celecoxib: '200mg' },
      pain: { back: '6-7-8', knee: '3' },
      activities: { walk: 20, stretch: 10 },
      o2: '97',
      bpr: '129/59',
      note: 'slept badly',
      sleep: '7:39',
    };

    it('when a full entry is stored, answers 200 with it and its derived values; GET answers the same', async () => {
      const response = await api.call('PUT', '/v1/health/entries/2025-05-01/1300', { token, body: full });
      expect(response.status).toBe(200);
      const expected = {
        date: '2025-05-01',
        timestamp: '1300',
        ...full,
        medication_taken: 'Oxycodone',
        max_pain_level: 8,
        systolic: 129,
        diastolic: 59,
        sleep_minutes: 459,
        o2_percent: 97,
      };
      expect(response.body).toEqual(expected);
      const read = await entry('2025-05-01', '1300');
      expect([read.status, read.body]).toEqual([200, expected]);
    });

    it("when an entry is stored, the day's summary reflects it", async () => {
      clock.set('2025-10-01T08:00:00.000Z');
      await put('2025-05-02', '1300', full);
      const response = await summary('2025-05-02');
      expect([response.status, response.body]).toEqual([
        200,
        {
          date: '2025-05-02',
          entry_count: 1,
          max_pain_level: 8,
          mean_max_pain: 8,
          medication_doses: { Oxycodone: 1, Celecoxib: 1 },
          activity_minutes: { walk: 20, stretch: 10 },
          min_o2_percent: 97,
          mean_systolic: 129,
          mean_diastolic: 59,
          sleep_minutes: 459,
          updated_at: '2025-10-01T08:00:00.000Z',
        },
      ]);
    });

    it('when a second entry is stored the same day, the summary aggregates both', async () => {
      await put('2025-05-03', '1300', full);
      clock.set('2025-10-01T09:00:00.000Z');
      await put('2025-05-03', '2000', { medications: { Celecoxib: '200mg' }, pain: { back: '4' }, activities: { walk: 15 }, o2: '94%', bpr: '141/71' });
      expect((await summary('2025-05-03')).body).toEqual({
        date: '2025-05-03',
        entry_count: 2,
        max_pain_level: 8,
        mean_max_pain: 6,
        medication_doses: { Oxycodone: 1, Celecoxib: 2 },
        activity_minutes: { walk: 35, stretch: 10 },
        min_o2_percent: 94,
        mean_systolic: 135,
        mean_diastolic: 65,
        sleep_minutes: 459,
        updated_at: '2025-10-01T09:00:00.000Z',
      });
    });

    it('when an entry is replaced, GET, the summary and the medication query all follow the new one', async () => {
      await put('2025-05-04', '0900', { medications: { Morphine: '10mg', Naproxen: '250mg' }, pain: { hip: '9' } });
      const replaced = await put('2025-05-04', '0900', { medications: { Naproxen: '500mg' }, pain: { hip: '2' } });
      expect(replaced).toEqual({
        date: '2025-05-04',
        timestamp: '0900',
        medications: { Naproxen: '500mg' },
        pain: { hip: '2' },
        activities: {},
        medication_taken: 'Naproxen',
        max_pain_level: 2,
      });
      expect((await entry('2025-05-04', '0900')).body).toEqual(replaced);
      expect((await summary('2025-05-04')).body).toMatchObject({ entry_count: 1, max_pain_level: 2, medication_doses: { Naproxen: 1 } });
      const morphine = await api.call('GET', '/v1/health/entries?medication=Morphine', { token });
      expect(morphine.body).toEqual({ items: [], next_cursor: null });
      const naproxen = await api.call('GET', '/v1/health/entries?medication=Naproxen', { token });
      expect(naproxen.body.items).toEqual([replaced]);
    });

    it('when entries are deleted, answers 204 and the summary follows; after the last one the summary is 404', async () => {
      await put('2025-05-05', '0800', { medications: { Pregabalin: '75mg' }, pain: { back: '5' } });
      await put('2025-05-05', '2000', { medications: { Diclofenac: '50mg', Pregabalin: '75mg' }, pain: { back: '7' } });

      const first = await api.call('DELETE', '/v1/health/entries/2025-05-05/2000', { token });
      expect([first.status, first.body]).toEqual([204, '']);
      expectProblem(await entry('2025-05-05', '2000'), 404, 'notFound');
      expect((await summary('2025-05-05')).body).toMatchObject({ entry_count: 1, max_pain_level: 5, medication_doses: { Pregabalin: 1 } });
      const pregabalin = await api.call('GET', '/v1/health/entries?medication=Pregabalin&from_date=2025-05-05&to_date=2025-05-05', { token });
      expect(pregabalin.body.items.map(keyOf)).toEqual(['2025-05-05/0800']);

      expect((await api.call('DELETE', '/v1/health/entries/2025-05-05/0800', { token })).status).toBe(204);
      const gone = await summary('2025-05-05');
      expectProblem(gone, 404, 'notFound');
      expect(gone.body.detail).toBe('No summary for this date (no entries)');
      const again = await api.call('DELETE', '/v1/health/entries/2025-05-05/0800', { token });
      expectProblem(again, 404, 'notFound');
      expect(again.body.detail).toBe('No entry at this date and time');
    });

    it('when no entry is stored at the date and time, GET answers 404', async () => {
      const response = await entry('2025-05-06', '0000');
      expectProblem(response, 404, 'notFound');
      expect(response.body.detail).toBe('No entry at this date and time');
    });

    it('when the raw notation does not parse, answers 400 pointing at each value and stores nothing', async () => {
      const response = await api.call('PUT', '/v1/health/entries/2025-05-07/1000', {
        token,
        body: { medications: { 'Aspirin#2': '1' }, pain: { back: '6-x-8', neck: '11' }, bpr: '120', sleep: '7:99', o2: 'high' },
      });
      expectInvalid(response, [
        { pointer: '/body/medications/Aspirin#2', message: /must be 1\.\.200 characters of well-formed text without "#"/ },
        { pointer: '/body/pain/back', message: 'pain.back "6-x-8" is not a pain level' },
        { pointer: '/body/pain/neck', message: /pain\.neck "11" is not a pain level/ },
        { pointer: '/body/bpr', message: /"120" is not a blood pressure/ },
        { pointer: '/body/sleep', message: /"7:99" is not a sleep duration/ },
        { pointer: '/body/o2', message: /"high" is not an O2 percent/ },
      ]);
      expectProblem(await entry('2025-05-07', '1000'), 404, 'notFound');
      expectProblem(await summary('2025-05-07'), 404, 'notFound');
    });

    it('when fields have the wrong shape or are unknown, answers 400 naming each', async () => {
      const response = await api.call('PUT', '/v1/health/entries/2025-05-07/1000', {
        token,
        body: { medications: { Aspirin: 100 }, activities: { walk: -1, swim: '20' }, note: 5, mood: 'ok', max_pain_level: 3 },
      });
      expectInvalid(response, [
        { pointer: '/body/medications/Aspirin' },
        { pointer: '/body/activities/walk' },
        { pointer: '/body/activities/swim' },
        { pointer: '/body/note' },
        { pointer: '/body/mood', message: 'is not a known field' },
        { pointer: '/body/max_pain_level', message: 'is not a known field' },
      ]);
      expectInvalid(await api.call('PUT', '/v1/health/entries/2025-05-07/1000', { token, body: [] }), [{ pointer: '/body' }]);
    });

    it('when the date or time in the path is not a real one, answers 400 at /path/date or /path/time', async () => {
      for (const method of ['PUT', 'GET', 'DELETE'] as const) {
        const body = method === 'PUT' ? {} : undefined;
        expectInvalid(await api.call(method, '/v1/health/entries/2025-02-29/1000', { token, body }), [{ pointer: '/path/date', message: 'must be a calendar date YYYY-MM-DD' }]);
        expectInvalid(await api.call(method, '/v1/health/entries/2025-05-07/2460', { token, body }), [{ pointer: '/path/time', message: 'must be a time of day HHMM (0000..2359)' }]);
        expectInvalid(await api.call(method, '/v1/health/entries/0507/930', { token, body }), [{ pointer: '/path/date' }, { pointer: '/path/time' }]);
      }
    });

    it('when the body is empty JSON, stores an entry with nothing recorded', async () => {
      const stored = await put('2025-05-08', '0600', {});
      expect(stored).toEqual({ date: '2025-05-08', timestamp: '0600', medications: {}, pain: {}, activities: {} });
      expect((await summary('2025-05-08')).body).toMatchObject({ entry_count: 1, max_pain_level: null, mean_max_pain: null, medication_doses: {} });
    });

    describe('PUT auth', () => {
      itRejectsUnauthorisedCalls(getApi, { method: 'PUT', path: '/v1/health/entries/2025-05-09/1000', user: 'patient', scope: 'health:write', body: {} });
    });
    describe('GET auth', () => {
      itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/health/entries/2025-05-01/1300', user: 'patient', scope: 'health:read' });
    });
    describe('DELETE auth', () => {
      itRejectsUnauthorisedCalls(getApi, { method: 'DELETE', path: '/v1/health/entries/2025-05-01/1300', user: 'patient', scope: 'health:write' });
    });
  });

  describe('audit log', () => {
    it('when the health log is read, the audit line names the health log as the subject and no health values', async () => {
      await api.call('GET', '/v1/health/entries/2025-05-01/1300', { token, headers: { 'x-request-id': 'health-read-1' } });
      expect(api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === 'health-read-1')).toMatchObject({
        actor: 'patient',
        action: 'getHealthEntry',
        subject: 'health-log',
        status: 200,
      });
      expect(api.logText()).not.toMatch(/Oxycodone|6-7-8|129\/59|slept badly/);
    });
  });
});
