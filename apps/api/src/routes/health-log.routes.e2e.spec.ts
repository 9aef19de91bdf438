import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { expectInvalid, expectPageSizes, expectProblem, itRejectsUnauthorisedCalls, manualClock, tamperedCursor, walkPages } from '../test-support/route-fixtures.ts';

const clock = manualClock('2025-10-01T00:00:00.000Z');

interface Entry {
  date: string;
  timestamp: string;
  medication_taken?: string;
  max_pain_level?: number;
}

const keyOf = (entry: Entry) => `${entry.date}/${entry.timestamp}`;
const byKey = (a: Entry, b: Entry) => keyOf(a).localeCompare(keyOf(b));

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

  async function put(date: string, time: string, body: object): Promise<Entry> {
    const response = await api.call('PUT', `/v1/health/entries/${date}/${time}`, { token, body });
    expect([response.status, response.body.errors]).toEqual([200, undefined]);
    return response.body as Entry;
  }
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

  describe('GET /v1/health/entries', () => {
    let stored: Entry[];
    beforeAll(async () => {
      stored = [
        await put('2025-06-01', '0800', { medications: { Tylenol: '500mg', Gabapentin: '300mg' }, pain: { back: '6-7-8' } }),
        await put('2025-06-01', '1200', { medications: { Ibuprofen: '400mg' }, pain: { knee: '3' } }),
        await put('2025-06-01', '1800', { medications: { Gabapentin: '300mg' }, pain: { back: '8' } }),
        await put('2025-06-01', '2200', { note: 'nothing taken' }),
        await put('2025-06-02', '0900', { medications: { Ibuprofen: '400mg', Tylenol: '500mg', 'Vitamin D3': '1000IU', Gabapentin: '100mg' }, pain: { back: '5/6' } }),
        await put('2025-06-03', '0700', { medications: { Tylenol: '1g' }, pain: { back: '8-7', neck: '2' } }),
      ];
    });
    const at = (...keys: string[]) => keys.map((key) => stored.find((entry) => keyOf(entry) === key));
    const list = async (query: string) => {
      const response = await api.call('GET', `/v1/health/entries?${query}`, { token });
      expect(response.status).toBe(200);
      return response.body as { items: Entry[]; next_cursor: string | null };
    };

    it('when date is given, answers that day’s entries in time order, without the medication index items', async () => {
      expect(await list('date=2025-06-01')).toEqual({ items: at('2025-06-01/0800', '2025-06-01/1200', '2025-06-01/1800', '2025-06-01/2200'), next_cursor: null });
      expect((await list('date=2025-06-01&order=desc')).items).toEqual(at('2025-06-01/2200', '2025-06-01/1800', '2025-06-01/1200', '2025-06-01/0800'));
      expect((await list('date=2025-06-02')).items).toEqual(at('2025-06-02/0900'));
    });

    it('when date, from and to are given, answers the entries between the two times, both included', async () => {
      expect((await list('date=2025-06-01&from=1200&to=1800')).items).toEqual(at('2025-06-01/1200', '2025-06-01/1800'));
      expect((await list('date=2025-06-01&from=1201')).items).toEqual(at('2025-06-01/1800', '2025-06-01/2200'));
      expect((await list('date=2025-06-01&to=0800')).items).toEqual(at('2025-06-01/0800'));
      expect((await list('date=2025-06-01&from=1300&to=1300')).items).toEqual([]);
    });

    it('when medication is given, finds every entry listing it, primary or not, each once', async () => {
      const gabapentin = (await list('medication=Gabapentin')).items;
      expect([...gabapentin].sort(byKey)).toEqual(at('2025-06-01/0800', '2025-06-01/1800', '2025-06-02/0900'));
      // Entries come back as stored: their primary medication is still the first listed.
      expect(gabapentin.map((entry) => entry.medication_taken).sort()).toEqual(['Gabapentin', 'Ibuprofen', 'Tylenol']);
      expect(gabapentin.map((entry) => entry.date)).toEqual(['2025-06-01', '2025-06-01', '2025-06-02']);
      expect((await list(`medication=${encodeURIComponent('Vitamin D3')}`)).items).toEqual(at('2025-06-02/0900'));
      expect(await list('medication=Warfarin')).toEqual({ items: [], next_cursor: null });
    });

    it('when medication and a date range are given, answers only the entries within it, dates in the asked order', async () => {
      expect((await list('medication=Gabapentin&from_date=2025-06-02')).items).toEqual(at('2025-06-02/0900'));
      expect([...(await list('medication=Gabapentin&to_date=2025-06-01')).items].sort(byKey)).toEqual(at('2025-06-01/0800', '2025-06-01/1800'));
      expect((await list('medication=Tylenol&from_date=2025-06-01&to_date=2025-06-03&order=desc')).items.map(keyOf)).toEqual([
        '2025-06-03/0700',
        '2025-06-02/0900',
        '2025-06-01/0800',
      ]);
    });

    it('when pain_level is given with a date range, answers the entries whose highest level it is', async () => {
      const eight = (await list('pain_level=8&from_date=2025-06-01&to_date=2025-06-03')).items;
      expect([...eight].sort(byKey)).toEqual(at('2025-06-01/0800', '2025-06-01/1800', '2025-06-03/0700'));
      expect((await list('pain_level=8&from_date=2025-06-02&to_date=2025-06-03')).items).toEqual(at('2025-06-03/0700'));
      expect((await list('pain_level=6&from_date=2025-06-01&to_date=2025-06-03')).items).toEqual(at('2025-06-02/0900'));
      expect((await list('pain_level=0&from_date=2025-06-01&to_date=2025-06-03')).items).toEqual([]);
    });

    it('when no selector or two selectors are given, answers 400', async () => {
      const none = await api.call('GET', '/v1/health/entries', { token });
      expectInvalid(none, [{ pointer: '/query', message: 'give exactly one of date, medication, pain_level' }]);
      expectInvalid(await api.call('GET', '/v1/health/entries?date=2025-06-01&medication=Tylenol', { token }), [
        { pointer: '/query/medication', message: 'give exactly one of date, medication, pain_level' },
      ]);
      expectInvalid(await api.call('GET', '/v1/health/entries?medication=Tylenol&pain_level=8', { token }), [{ pointer: '/query/pain_level' }]);
    });

    it('when a bound is given without the selector it belongs to, answers 400 at the bound', async () => {
      expectInvalid(await api.call('GET', '/v1/health/entries?medication=Tylenol&from=0800&to=1200', { token }), [
        { pointer: '/query/from', message: 'applies only with date' },
        { pointer: '/query/to', message: 'applies only with date' },
      ]);
      expectInvalid(await api.call('GET', '/v1/health/entries?from=0800', { token }), [{ pointer: '/query' }, { pointer: '/query/from' }]);
      expectInvalid(await api.call('GET', '/v1/health/entries?date=2025-06-01&from_date=2025-06-01&to_date=2025-06-02', { token }), [
        { pointer: '/query/from_date', message: 'applies only with medication or pain_level' },
        { pointer: '/query/to_date', message: 'applies only with medication or pain_level' },
      ]);
    });

    it('when bounds are reversed, answers 400 at the later bound', async () => {
      expectInvalid(await api.call('GET', '/v1/health/entries?date=2025-06-01&from=1800&to=1200', { token }), [
        { pointer: '/query/to', message: 'must not be before from' },
      ]);
      for (const selector of ['medication=Tylenol', 'pain_level=8']) {
        expectInvalid(await api.call('GET', `/v1/health/entries?${selector}&from_date=2025-06-03&to_date=2025-06-01`, { token }), [
          { pointer: '/query/to_date', message: 'must not be before from_date' },
        ]);
      }
    });

    it('when a value is malformed or a parameter unknown, answers 400 naming each', async () => {
      expectInvalid(await api.call('GET', '/v1/health/entries?date=2025-13-01&from=2500&order=up&patient=me', { token }), [
        { pointer: '/query/date' },
        { pointer: '/query/from' },
        { pointer: '/query/order' },
        { pointer: '/query/patient', message: 'is not a known field' },
      ]);
      for (const level of ['11', '-1', 'eight', '', '7.5']) {
        expectInvalid(await api.call('GET', `/v1/health/entries?pain_level=${level}`, { token }), [{ pointer: '/query/pain_level' }]);
      }
      expectInvalid(await api.call('GET', `/v1/health/entries?medication=${encodeURIComponent('a#b')}`, { token }), [{ pointer: '/query/medication' }]);
      expectInvalid(await api.call('GET', '/v1/health/entries?medication=Tylenol&from_date=2025-02-30', { token }), [{ pointer: '/query/from_date' }]);
      expectInvalid(await api.call('GET', '/v1/health/entries?date=2025-06-01&limit=0', { token }), [{ pointer: '/query/limit' }]);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/health/entries?date=2025-06-01', user: 'patient', scope: 'health:read' });
  });

  describe('GET /v1/health/entries across many pages', () => {
    const DAY = '2025-07-01';
    const COUNT = 45;
    const times = Array.from({ length: COUNT }, (_, index) => {
      const minutes = index * 20;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
    });
    const otherDays = ['2025-07-02', '2025-07-03', '2025-07-04', '2025-07-05', '2025-07-06'];
    let entries: Entry[];
    beforeAll(async () => {
      entries = [];
      for (const [index, time] of times.entries()) {
        entries.push(await put(DAY, time, { medications: { Baclofen: '10mg', Tizanidine: '2mg' }, pain: { back: String(5 + (index % 3)) } }));
      }
      for (const date of otherDays) entries.push(await put(date, '1200', { medications: { Tizanidine: '4mg' }, pain: { back: '6' } }));
    });

    it('when a day is paged with limit=7, returns each of its entries once, in time order both ways', async () => {
      const asc = await walkPages<Entry>(api, `/v1/health/entries?date=${DAY}&limit=7`, token);
      expect(asc.items.map(keyOf)).toEqual(times.map((time) => `${DAY}/${time}`));
      expect(asc.items).toEqual(entries.slice(0, COUNT));
      expectPageSizes(asc.sizes, COUNT, 7);
      const desc = await walkPages<Entry>(api, `/v1/health/entries?date=${DAY}&limit=7&order=desc`, token);
      expect(desc.items.map(keyOf)).toEqual(times.map((time) => `${DAY}/${time}`).reverse());
    });

    it('when a medication listed second is paged with limit=7, returns every entry listing it once, by date', async () => {
      const walk = await walkPages<Entry>(api, '/v1/health/entries?medication=Tizanidine&limit=7', token);
      expect(walk.items.length).toBe(entries.length);
      expect([...walk.items].sort(byKey)).toEqual([...entries].sort(byKey));
      expect(walk.items.map((entry) => entry.date)).toEqual([...walk.items.map((entry) => entry.date)].sort());
      const desc = await walkPages<Entry>(api, '/v1/health/entries?medication=Tizanidine&limit=7&order=desc', token);
      expect([...desc.items].sort(byKey)).toEqual([...entries].sort(byKey));
      expect(desc.items.map((entry) => entry.date)).toEqual([...desc.items.map((entry) => entry.date)].sort().reverse());
      const ranged = await walkPages<Entry>(api, '/v1/health/entries?medication=Tizanidine&from_date=2025-07-02&to_date=2025-07-05&limit=3', token);
      expect(ranged.items.map(keyOf)).toEqual(['2025-07-02/1200', '2025-07-03/1200', '2025-07-04/1200', '2025-07-05/1200']);
    });

    it('when a pain level is paged with limit=4, returns every entry at that level once', async () => {
      const walk = await walkPages<Entry>(api, '/v1/health/entries?pain_level=6&from_date=2025-07-01&to_date=2025-07-31&limit=4', token);
      const expected = entries.filter((entry) => entry.max_pain_level === 6).sort(byKey);
      expect(expected).toHaveLength(15 + otherDays.length);
      expect([...walk.items].sort(byKey)).toEqual(expected);
    });

    it('when the cursor is from another query or tampered with, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', `/v1/health/entries?date=${DAY}&limit=7`, { token });
      const cursor = first.body.next_cursor as string;
      for (const query of [`date=2025-07-02&limit=7`, 'medication=Tizanidine&limit=7', `date=${DAY}&limit=7&order=desc`, `date=${DAY}&from=0100&limit=7`]) {
        expectInvalid(await api.call('GET', `/v1/health/entries?${query}&cursor=${cursor}`, { token }), [{ pointer: '/query/cursor', message: /is not a cursor of this query/ }]);
      }
      expectInvalid(await api.call('GET', `/v1/health/entries?date=${DAY}&limit=7&cursor=${tamperedCursor(cursor)}`, { token }), [{ pointer: '/query/cursor' }]);
      const readings = await api.call('GET', `/v1/users/patient/readings?cursor=${cursor}`, { token });
      expectInvalid(readings, [{ pointer: '/query/cursor' }]);
    });
  });

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
