import type { VitalsError } from '@vitals/dynamodb-core';
import type { DynamoDBService } from '@vitals/dynamodb-core';
import { healthEntryEntity, healthEntryItems, type HealthEntry } from '@vitals/models';
import type { Container } from 'inversify';
import type { Page, PageRequest } from '../store/entity-store.ts';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { silentLogger, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import { HealthEntryRepository } from './health-entry.repository.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const keyOf = (entry: HealthEntry) => `${entry.date}/${entry.timestamp}`;

/** Every page of a query, asserting each respects the limit. */
async function collectPages(
  list: (page: PageRequest) => Promise<Page<HealthEntry>>,
  limit: number,
): Promise<{ entries: HealthEntry[]; pages: number }> {
  const entries: HealthEntry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await list({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    expect(page.skipped).toEqual([]);
    entries.push(...page.items);
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null);
  return { entries, pages };
}

describe(HealthEntryRepository.name, () => {
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let repository: HealthEntryRepository;

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer());
    repository = container.get(HealthEntryRepository);
  });
  afterAll(() => container.unbindAll());
  afterEach(() => jest.restoreAllMocks());

  /** Every item stored in a date's partition, entries and index items alike, as `timestamp`s. */
  const storedTimestamps = async (date: string) =>
    (
      await db.items.query({
        tableName: healthEntryEntity.tableName(settings.table_prefix),
        keyConditionExpression: '#d = :d',
        expressionAttributeNames: { '#d': 'date' },
        expressionAttributeValues: { ':d': date },
      })
    ).map((item) => item['timestamp']);

  describe('the four reference query patterns, over 30 entries on 3 dates', () => {
    const DATES = ['2025-05-21', '2025-05-22', '2025-05-23'];
    const MEDICATIONS = ['oxycodone', 'journavx', 'tylenol', 'gabapentin'];
    const fixture = Array.from({ length: 30 }, (_, i) => {
      // Rotating lists of 0..4 medications: each medication is first, second, third or fourth somewhere.
      const medications = Object.fromEntries(
        Array.from({ length: i % 5 }, (_, k) => [MEDICATIONS[(i + k) % 4] as string, `${5 * (k + 1)}mg`]),
      );
      const pain = i % 7 === 0 ? {} : { back: `${(i % 11) - 1 < 0 ? 0 : (i % 11) - 1}-${i % 11}`, quads: '2' };
      return {
        date: DATES[i % 3] as string,
        time: `${pad(6 + Math.floor(i / 3))}${pad((i % 3) * 15)}`,
        input: { medications, pain, activities: { walking: i } },
      };
    });
    const expectedKeys = (keep: (entry: (typeof fixture)[number]) => boolean) =>
      fixture
        .filter(keep)
        .map((entry) => `${entry.date}/${entry.time}`)
        .sort();
    const maxPain = (entry: (typeof fixture)[number]) => {
      const levels = Object.values(entry.input.pain).flatMap((level) => level.split('-').map(Number));
      return levels.length === 0 ? undefined : Math.max(...levels);
    };

    beforeAll(async () => {
      for (const { date, time, input } of fixture) await repository.save(date, time, input);
    });

    describe('.listByDate', () => {
      it('when paging a whole day: every entry of that day once, in time order, never an index item', async () => {
        const { entries, pages } = await collectPages((page) => repository.listByDate(DATES[0] as string, {}, page), 3);
        expect(entries.map(keyOf)).toEqual(expectedKeys((entry) => entry.date === DATES[0]));
        expect(pages).toBeGreaterThanOrEqual(4);
        // The partition also holds medication index items; none may surface as entries.
        expect((await storedTimestamps(DATES[0] as string)).some((t) => String(t).startsWith('med#'))).toBe(true);
        for (const entry of entries) expect(entry).not.toHaveProperty('entry_timestamp');
      });

      it('when given a time range: only the entries between the two times, both ends included', async () => {
        const { entries } = await collectPages(
          (page) => repository.listByDate(DATES[1] as string, { from: '0815', to: '1115' }, page),
          2,
        );
        expect(entries.map((entry) => entry.timestamp)).toEqual(['0815', '0915', '1015', '1115']);
      });

      it('when asked for newest first: the same entries in reverse', async () => {
        const page = await repository.listByDate(DATES[2] as string, { order: 'desc' });
        expect(page.items.map(keyOf)).toEqual(expectedKeys((entry) => entry.date === DATES[2]).reverse());
      });

      it('when the range or the date is malformed: invalidInput naming it', async () => {
        const reversed = await rejection(repository.listByDate(DATES[0] as string, { from: '1200', to: '0800' }));
        expect(reversed.details).toMatchObject({ issues: [{ path: 'to' }] });
        const badTime = await rejection(repository.listByDate(DATES[0] as string, { from: '2500' }));
        expect(badTime.details).toMatchObject({ issues: [{ path: 'from' }] });
        expect((await rejection(repository.listByDate('2025-13-01'))).code).toBe('repository.invalidInput');
      });
    });

    describe('.listByMedication', () => {
      it.each(MEDICATIONS)('when querying %s: exactly the entries listing it, each once, in any position', async (medication) => {
        const scan = jest.spyOn(db.items, 'scanPages');
        const query = jest.spyOn(db.items, 'queryPages');
        const { entries } = await collectPages((page) => repository.listByMedication(medication, {}, page), 4);

        const expected = expectedKeys((entry) => medication in entry.input.medications);
        expect(entries.map(keyOf).sort()).toEqual(expected);
        // Served by the index: entries where it is listed 2nd, 3rd or 4th are found too.
        const notFirst = fixture.filter(
          (entry) => Object.keys(entry.input.medications).indexOf(medication) >= 1,
        );
        expect(notFirst.length).toBeGreaterThan(0);
        expect(entries.map(keyOf)).toEqual(expect.arrayContaining(notFirst.map((entry) => `${entry.date}/${entry.time}`)));
        expect(scan).not.toHaveBeenCalled();
        expect(query.mock.calls.every(([params]) => params.indexName === 'medication-index')).toBe(true);

        for (const entry of entries) {
          // Full entries, not index items: own HHMM key, primary medication, pain level.
          expect(entry.timestamp).toMatch(/^\d{4}$/);
          expect(entry).not.toHaveProperty('entry_timestamp');
          expect(entry.medications).toHaveProperty(medication);
          const source = fixture.find((f) => `${f.date}/${f.time}` === keyOf(entry));
          expect(entry.medication_taken).toBe(Object.keys(source?.input.medications ?? {})[0]);
          expect(entry.max_pain_level).toBe(source === undefined ? undefined : maxPain(source));
        }
      });

      it('when given a date range: only entries of those dates, oldest date first (newest with order desc)', async () => {
        const range = { from: DATES[1] as string, to: DATES[2] as string };
        const { entries } = await collectPages((page) => repository.listByMedication('tylenol', range, page), 5);
        expect(entries.map(keyOf).sort()).toEqual(
          expectedKeys((entry) => 'tylenol' in entry.input.medications && entry.date >= range.from),
        );
        expect(entries.map((entry) => entry.date)).toEqual([...entries.map((entry) => entry.date)].sort());

        const upToFirst = await repository.listByMedication('tylenol', { to: DATES[0] as string });
        expect(upToFirst.items.map(keyOf).sort()).toEqual(
          expectedKeys((entry) => 'tylenol' in entry.input.medications && entry.date === DATES[0]),
        );
        const { entries: newestFirst } = await collectPages(
          (page) => repository.listByMedication('tylenol', { order: 'desc' }, page),
          3,
        );
        expect(newestFirst.map((entry) => entry.date)).toEqual([...newestFirst.map((entry) => entry.date)].sort().reverse());
        expect(new Set(newestFirst.map((entry) => entry.date)).size).toBe(3);
      });

      it('when the medication was never taken: an empty last page', async () => {
        expect(await repository.listByMedication('aspirin')).toEqual({ items: [], next_cursor: null, skipped: [] });
      });

      it('when the name cannot be a medication: invalidInput', async () => {
        expect((await rejection(repository.listByMedication('a#b'))).code).toBe('repository.invalidInput');
        const reversed = await rejection(repository.listByMedication('tylenol', { from: DATES[2] as string, to: DATES[0] as string }));
        expect(reversed.details).toMatchObject({ issues: [{ path: 'to' }] });
      });
    });

    describe('.listByPainLevel', () => {
      it('when paging one level: every entry whose highest pain is that level, each once', async () => {
        const level = 5;
        const { entries } = await collectPages((page) => repository.listByPainLevel(level, {}, page), 1);
        const expected = expectedKeys((entry) => maxPain(entry) === level);
        expect(expected.length).toBeGreaterThanOrEqual(2);
        expect(entries.map(keyOf).sort()).toEqual(expected);
        for (const entry of entries) expect(entry.max_pain_level).toBe(level);
      });

      it('when given a date range: only those dates', async () => {
        const range = { from: DATES[0] as string, to: DATES[1] as string };
        const levels = [...new Set(fixture.map(maxPain))].filter((level): level is number => level !== undefined);
        for (const level of levels) {
          const { entries } = await collectPages((page) => repository.listByPainLevel(level, range, page), 2);
          expect(entries.map(keyOf).sort()).toEqual(expectedKeys((entry) => maxPain(entry) === level && entry.date <= range.to));
        }
      });

      it('when the level is not 0..10: invalidInput', async () => {
        expect((await rejection(repository.listByPainLevel(11))).code).toBe('repository.invalidInput');
      });
    });

    describe('.iterateDates', () => {
      it('when iterating a range: every entry of every date, date by date in time order', async () => {
        const seen: string[] = [];
        for await (const entry of repository.iterateDates('2025-05-20', DATES[2] as string)) seen.push(keyOf(entry));
        expect(seen).toEqual(expectedKeys(() => true));
      });

      it('when the range is reversed: invalidInput', async () => {
        const iterator = repository.iterateDates(DATES[2] as string, DATES[0] as string);
        expect((await rejection(iterator.next())).code).toBe('repository.invalidInput');
      });
    });
  });

  describe('.save / .get', () => {
    const date = '2025-06-01';

    it('when saved: derives primary medication, max pain and the parsed vitals, and get returns the same', async () => {
      const stored = await repository.save(date, '1300', {
        medications: { oxycodone: '5mg', journavx: '100mg' },
        pain: { quads: '6-7-8', back: '6/9' },
        activities: { standing: 5, walking: 16 },
        o2: '88',
        bpr: '129/59',
        note: 'Pain is focused on the back',
        sleep: '7:39',
      });
      expect(stored).toMatchObject({
        date,
        timestamp: '1300',
        medication_taken: 'oxycodone',
        max_pain_level: 9,
        systolic: 129,
        diastolic: 59,
        sleep_minutes: 459,
        o2_percent: 88,
      });
      expect(await repository.get(date, '1300')).toEqual(stored);
      expect(await repository.get(date, '1301')).toBeUndefined();
    });

    it('when the raw notation does not parse: invalidInput listing every bad path, nothing stored', async () => {
      const error = await rejection(
        repository.save(date, '0900', { pain: { back: '6-x-8', knee: '5' }, bpr: '129-59', sleep: '7h' }),
      );
      expect(error.code).toBe('repository.invalidInput');
      const issues = (error as VitalsError<'repository.invalidInput'>).details.issues;
      expect(issues.map((issue) => issue.path)).toEqual(['pain.back', 'bpr', 'sleep']);
      expect(issues[0]?.message).toContain('"6-x-8" is not a pain level');
      expect(await repository.get(date, '0900')).toBeUndefined();
    });

    it('when the shape is wrong as well: the notation problems are still reported with it', async () => {
      const error = await rejection(
        repository.save(date, '0905', { activities: { walking: 'ten' }, pain: { back: '6-x-8' }, o2: 'low' }),
      );
      expect((error as VitalsError<'repository.invalidInput'>).details.issues.map((issue) => issue.path)).toEqual([
        'activities.walking',
        'pain.back',
        'o2',
      ]);
    });

    it('when the date or time is malformed, or derived fields are sent: invalidInput', async () => {
      await expect(repository.save('2025-02-30', '1300', {})).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.save(date, '2400', {})).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.save(date, '1000', { max_pain_level: 3 })).rejects.toMatchObject({
        code: 'repository.invalidInput',
      });
      await expect(repository.get(date, '1pm')).rejects.toMatchObject({ code: 'repository.invalidInput' });
    });

    it('when an entry lists more medications than one transaction can write: invalidInput on medications', async () => {
      const medications = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}`, '1mg']));
      const error = await rejection(repository.save(date, '1100', { medications }));
      expect(error.details).toMatchObject({ issues: [{ path: 'medications' }] });
      expect(await repository.get(date, '1100')).toBeUndefined();
    });
  });

  describe('.save over an existing entry', () => {
    const date = '2025-06-02';

    it('when medications are dropped and reordered: stale index items go, each medication finds the entry once', async () => {
      await repository.save(date, '0800', { medications: { 'upd-a': '1', 'upd-b': '2', 'upd-c': '3' } });
      expect((await repository.listByMedication('upd-b')).items.map(keyOf)).toEqual([`${date}/0800`]);

      const updated = await repository.save(date, '0800', { medications: { 'upd-c': '3', 'upd-a': '1' } });
      expect(updated.medication_taken).toBe('upd-c');

      expect((await repository.listByMedication('upd-b')).items).toEqual([]);
      for (const medication of ['upd-a', 'upd-c']) {
        const page = await repository.listByMedication(medication);
        expect(page.items).toEqual([updated]);
      }
      expect((await storedTimestamps(date)).sort()).toEqual(['0800', 'med#upd-a#0800']);
    });

    it('when an entry with medications is replaced by one without: no index item is left', async () => {
      await repository.save(date, '0900', { medications: { 'upd-d': '1', 'upd-e': '2' } });
      await repository.save(date, '0900', { note: 'skipped them' });
      expect((await repository.listByMedication('upd-e')).items).toEqual([]);
      expect((await repository.get(date, '0900'))?.medication_taken).toBeUndefined();
      expect((await storedTimestamps(date)).filter((t) => String(t).endsWith('#0900'))).toEqual([]);
    });
  });

  describe('.saveMany (bulk load) / .readDay', () => {
    const date = '2025-07-01';

    it('when loading a day: entries and index items as save would store them, readDay returns them all', async () => {
      const saved = await repository.saveMany([
        { date, time: '0800', input: { medications: { 'bulk-a': '5mg', 'bulk-b': '1' }, pain: { back: '6-7' }, bpr: '120/80' } },
        { date, time: '1300', input: { medications: { 'bulk-b': '2' }, sleep: '7:30' } },
        { date: '2025-07-02', time: '0900', input: { note: 'next day' } },
      ]);
      expect(saved.map(keyOf)).toEqual([`${date}/0800`, `${date}/1300`, '2025-07-02/0900']);
      expect(saved[0]).toMatchObject({ medication_taken: 'bulk-a', max_pain_level: 7, systolic: 120, diastolic: 80 });

      const day = await repository.readDay(date);
      expect(day.entries).toEqual(saved.slice(0, 2));
      expect(day.medication_index_items).toEqual([
        expect.objectContaining({ timestamp: 'med#bulk-b#0800', medication_taken: 'bulk-b', entry_medication_taken: 'bulk-a', entry_max_pain_level: 7 }),
      ]);
      expect(day.skipped).toEqual([]);
      expect((await repository.listByMedication('bulk-b')).items.map(keyOf)).toEqual([`${date}/0800`, `${date}/1300`]);
      expect((await repository.listByPainLevel(7, { from: date, to: date })).items.map(keyOf)).toEqual([`${date}/0800`]);
    });

    it('when loading again with changed medications: stale index items go, nothing is doubled', async () => {
      await repository.saveMany([{ date, time: '0800', input: { medications: { 'bulk-c': '1', 'bulk-a': '5mg' } } }]);
      await repository.saveMany([{ date, time: '0800', input: { medications: { 'bulk-c': '1', 'bulk-a': '5mg' } } }]);
      expect((await storedTimestamps(date)).sort()).toEqual(['0800', '1300', 'med#bulk-a#0800']);
      expect((await repository.listByMedication('bulk-b')).items.map(keyOf)).toEqual([`${date}/1300`]);
      expect((await repository.get(date, '0800'))?.medication_taken).toBe('bulk-c');
    });

    it('when a load stopped after the entry but before its index items were settled: loading again repairs them', async () => {
      // The state an interrupted load can leave: the new entry item is in, an old index item is still there.
      await repository.saveMany([{ date, time: '1500', input: { medications: { 'bulk-d': '1', 'bulk-e': '2' } } }]);
      await db.items.putItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), item: { ...(await repository.get(date, '1500')), medications: { 'bulk-d': '1' } } });
      await repository.saveMany([{ date, time: '1500', input: { medications: { 'bulk-d': '1' } } }]);
      expect((await storedTimestamps(date)).filter((t) => String(t).endsWith('#1500'))).toEqual([]);
      expect((await repository.listByMedication('bulk-e')).items).toEqual([]);
    });

    it('when any write is invalid: invalidInput naming each by index and path, nothing stored', async () => {
      const error = await rejection(
        repository.saveMany([
          { date: '2025-07-03', time: '0800', input: { note: 'fine' } },
          { date: '2025-07-03', time: '0900', input: { pain: { back: '6-x-8' } } },
          { date: '2025-07-03', time: '2400', input: {} },
        ]),
      );
      expect(error.code).toBe('repository.invalidInput');
      const paths = (error as VitalsError<'repository.invalidInput'>).details.issues.map((issue) => issue.path);
      expect(paths).toEqual(['[1].pain.back', '[2].timestamp']);
      expect(await storedTimestamps('2025-07-03')).toEqual([]);
    });

    it('when a day has an invalid item: readDay reports it in skipped and returns the rest', async () => {
      await repository.saveMany([{ date: '2025-07-04', time: '0800', input: { note: 'kept' } }]);
      await db.items.putItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), item: { date: '2025-07-04', timestamp: '0900', medications: 'not a map', pain: {}, activities: {} } });
      const day = await repository.readDay('2025-07-04');
      expect(day.entries.map(keyOf)).toEqual(['2025-07-04/0800']);
      expect(day.skipped).toEqual([{ key: { date: '2025-07-04', timestamp: '0900' }, issues: [expect.stringContaining('medications')] }]);
    });

    it('when an entry lacks an index item: putIndexItems writes it back and the medication query finds the entry again', async () => {
      const [entry] = await repository.saveMany([{ date: '2025-07-05', time: '0800', input: { medications: { 'bulk-f': '1', 'bulk-g': '2' } } }]);
      await db.items.deleteItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), key: { date: '2025-07-05', timestamp: 'med#bulk-g#0800' } });
      expect((await repository.listByMedication('bulk-g')).items).toEqual([]);
      const items = healthEntryItems(entry as HealthEntry).medication_index_items;
      await repository.putIndexItems(items);
      expect((await repository.readDay('2025-07-05')).medication_index_items).toEqual(items);
      expect((await repository.listByMedication('bulk-g')).items).toEqual([entry]);
    });
  });

  describe('.delete', () => {
    const date = '2025-06-03';

    it('when the entry has several medications: deletes it and its index items, and resolves with it', async () => {
      const stored = await repository.save(date, '1200', { medications: { 'del-a': '1', 'del-b': '2', 'del-c': '3' } });
      expect(await repository.delete(date, '1200')).toEqual(stored);

      expect(await repository.get(date, '1200')).toBeUndefined();
      for (const medication of ['del-a', 'del-b', 'del-c']) {
        expect((await repository.listByMedication(medication)).items).toEqual([]);
      }
      expect(await storedTimestamps(date)).toEqual([]);
    });

    it('when there is no entry: resolves with undefined', async () => {
      expect(await repository.delete(date, '1201')).toBeUndefined();
    });

    it('when the entry changed after the caller read it: conflict, and nothing is deleted', async () => {
      const read = await repository.save(date, '1300', { medications: { 'del-d': '1', 'del-e': '2' } });
      await repository.save(date, '1300', { medications: { 'del-d': '1', 'del-e': '2' }, note: 'edited' });
      expect((await rejection(repository.delete(date, '1300', { expected: read }))).code).toBe('repository.conflict');
      expect((await repository.listByMedication('del-e')).items.map((entry) => entry.note)).toEqual(['edited']);
    });
  });

  describe('concurrent saves of one entry', () => {
    const date = '2025-06-04';

    const settle = async (saves: Promise<HealthEntry>[]) => {
      const results = await Promise.allSettled(saves);
      const won = results.filter((r): r is PromiseFulfilledResult<HealthEntry> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: 'repository.conflict', details: { entity: 'HealthEntry' } });
      return { winner: (won[0] as PromiseFulfilledResult<HealthEntry>).value };
    };

    it('when both start from the same read (expected): exactly one conflict, the loser writes nothing', async () => {
      const read = await repository.save(date, '0700', { medications: { 'race-a': '1' } });
      const { winner } = await settle([
        repository.save(date, '0700', { medications: { 'race-a': '1', 'race-b': '2' } }, { expected: read }),
        repository.save(date, '0700', { medications: { 'race-a': '1', 'race-c': '2' } }, { expected: read }),
      ]);
      expect(await repository.get(date, '0700')).toEqual(winner);
      const indexed = [
        ...(await repository.listByMedication('race-b')).items,
        ...(await repository.listByMedication('race-c')).items,
      ];
      expect(indexed).toEqual([winner]);
    });

    it('when both create the entry (expected null): exactly one conflict', async () => {
      const { winner } = await settle([
        repository.save(date, '0800', { note: 'first' }, { expected: null }),
        repository.save(date, '0800', { note: 'second' }, { expected: null }),
      ]);
      expect(await repository.get(date, '0800')).toEqual(winner);
    });

    it('when both read the entry themselves before either writes: exactly one conflict', async () => {
      await repository.save(date, '0900', { note: 'original' });
      const getItem = db.items.getItem.bind(db.items);
      const readers: (() => void)[] = [];
      // Hold each read until both saves have read: the classic lost-update interleaving.
      jest.spyOn(db.items, 'getItem').mockImplementation(async (...args) => {
        const item = await getItem(...args);
        await new Promise<void>((resolve) => {
          readers.push(resolve);
          if (readers.length === 2) for (const release of readers) release();
        });
        return item;
      });
      const { winner } = await settle([
        repository.save(date, '0900', { note: 'from tab one' }),
        repository.save(date, '0900', { note: 'from tab two' }),
      ]);
      jest.restoreAllMocks();
      expect((await repository.get(date, '0900'))?.note).toBe(winner.note);
    });

    it('when the entry was deleted since the caller read it: conflict instead of resurrecting it', async () => {
      const read = await repository.save(date, '1000', { note: 'soon gone' });
      await repository.delete(date, '1000');
      expect((await rejection(repository.save(date, '1000', { note: 'edit' }, { expected: read }))).code).toBe(
        'repository.conflict',
      );
      expect(await repository.get(date, '1000')).toBeUndefined();
    });
  });

  describe("an invalid item written behind the repository's back", () => {
    const date = '2025-06-05';

    beforeAll(async () => {
      await repository.save(date, '0600', { note: 'fine' });
      const bad = await repository.save(date, '0700', { medications: { 'bad-a': '1', 'bad-b': '2' }, o2: '95' });
      await repository.save(date, '0800', { note: 'fine too' });
      await db.items.putItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), item: { ...bad, o2_percent: 'ninety-five' } });
      const indexItem = await db.items.getItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), key: { date, timestamp: 'med#bad-b#0700' } });
      await db.items.putItem({ tableName: healthEntryEntity.tableName(settings.table_prefix), item: { ...indexItem, o2_percent: 'ninety-five' } });
    });

    it('when listing its date: it is skipped and reported with its key and the bad attribute', async () => {
      const page = await repository.listByDate(date);
      expect(page.items.map((entry) => entry.timestamp)).toEqual(['0600', '0800']);
      expect(page.skipped).toEqual([{ key: { date, timestamp: '0700' }, issues: [expect.stringContaining('o2_percent')] }]);
      expect(await repository.get(date, '0700')).toBeUndefined();
    });

    it('when querying a medication whose index item is invalid: skipped and reported with the index item key', async () => {
      const page = await repository.listByMedication('bad-b');
      expect(page.items).toEqual([]);
      expect(page.skipped).toEqual([
        { key: { date, timestamp: 'med#bad-b#0700' }, issues: [expect.stringContaining('o2_percent')] },
      ]);
    });

    it('when strict: listing raises invalidItem naming the key', async () => {
      const strict = new HealthEntryRepository(new EntityStores(db.items, silentLogger, { ...settings, strict: true }), silentLogger);
      await expect(strict.listByDate(date)).rejects.toMatchObject({
        code: 'repository.invalidItem',
        details: { key: { date, timestamp: '0700' } },
      });
    });

    it('when saved again: the entry and its index items are replaced and found again', async () => {
      const repaired = await repository.save(date, '0700', { medications: { 'bad-a': '1', 'bad-b': '2' }, o2: '95' });
      expect(repaired.o2_percent).toBe(95);
      expect((await repository.listByDate(date)).skipped).toEqual([]);
      expect((await repository.listByMedication('bad-b')).items).toEqual([repaired]);
    });
  });
});
