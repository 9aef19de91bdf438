import type { DynamoDBService } from '@vitals/dynamodb-core';
import { healthEntryEntity, type HealthEntry } from '@vitals/models';
import type { Container } from 'inversify';
import type { Page, PageRequest } from '../store/store-types.ts';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { keyOf, timestampsStored } from '../test-support/health-entries.ts';
import { rejection } from '../test-support/rejection.ts';
import { HealthEntryRepository } from './health-entry.repository.ts';

const pad = (n: number) => String(n).padStart(2, '0');

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
  const storedTimestamps = (date: string) => timestampsStored(db, healthEntryEntity.tableName(settings.table_prefix), date);

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
});
