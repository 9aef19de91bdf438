import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  expectInvalid,
  expectPageSizes,
  itRejectsUnauthorisedCalls,
  manualClock,
  tamperedCursor,
  walkPages,
} from '../test-support/route-fixtures.ts';
import { byKey, keyOf, putEntry, type Entry } from '../test-support/health-log-entries.ts';

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
});
