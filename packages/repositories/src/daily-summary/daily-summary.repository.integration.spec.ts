import type { VitalsError } from '@vitals/dynamodb-core';
import type { DynamoDBService } from '@vitals/dynamodb-core';
import { dailySummaryEntity, type DailySummary } from '@vitals/models';
import type { Container } from 'inversify';
import { HealthEntryRepository } from '../health-entry/health-entry.repository.ts';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { manualClock, silentLogger, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import { DailySummaryRepository, MAX_SUMMARY_RANGE_DAYS } from './daily-summary.repository.ts';

const summaryOf = (date: string, overrides: Partial<DailySummary> = {}) => ({
  date,
  entry_count: 1,
  max_pain_level: 4,
  mean_max_pain: 4,
  medication_doses: { tylenol: 1 },
  activity_minutes: {},
  min_o2_percent: null,
  mean_systolic: null,
  mean_diastolic: null,
  sleep_minutes: null,
  ...overrides,
});

describe(DailySummaryRepository.name, () => {
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let entries: HealthEntryRepository;
  let summaries: DailySummaryRepository;
  const clock = manualClock('2026-01-10T08:00:00.000Z');

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer());
    entries = container.get(HealthEntryRepository);
    summaries = new DailySummaryRepository(container.get(EntityStores), silentLogger, clock, entries);
  });
  afterAll(() => container.unbindAll());
  afterEach(() => jest.restoreAllMocks());

  describe('.rebuild', () => {
    const day = '2025-05-23';

    beforeAll(async () => {
      await entries.save(day, '0800', {
        medications: { oxycodone: '5mg', journavx: '100mg' },
        pain: { back: '6-7-8', quads: '5' },
        activities: { walking: 16 },
        o2: '95',
        bpr: '120/80',
        sleep: '7:30',
      });
      await entries.save(day, '1300', {
        medications: { oxycodone: '5mg' },
        pain: { back: '4-5' },
        activities: { walking: 10, standing: 5 },
        o2: '88',
        bpr: '130/70',
      });
      await entries.save(day, '1900', { medications: { tylenol: '500mg', journavx: '100mg' }, sleep: '0:45' });
      await entries.save('2025-05-24', '0800', { medications: { oxycodone: '5mg' }, pain: { back: '9' }, o2: '70' });
    });

    it("when the day has entries: the summary is computed from that day's entries only, and stored", async () => {
      const summary = await summaries.rebuild(day);
      expect(summary).toEqual({
        date: day,
        entry_count: 3,
        max_pain_level: 8,
        mean_max_pain: 6.5,
        medication_doses: { oxycodone: 2, journavx: 2, tylenol: 1 },
        activity_minutes: { walking: 26, standing: 5 },
        min_o2_percent: 88,
        mean_systolic: 125,
        mean_diastolic: 75,
        sleep_minutes: 495,
        updated_at: '2026-01-10T08:00:00.000Z',
      });
      expect(await summaries.get(day)).toEqual(summary);
    });

    it('when an entry changed: rebuilding again reflects it', async () => {
      await entries.save(day, '1300', { medications: { oxycodone: '5mg' }, pain: { back: '10' }, o2: '91' });
      clock.advance(60_000);
      const summary = await summaries.rebuild(day);
      expect(summary).toMatchObject({
        max_pain_level: 10,
        mean_max_pain: 9,
        min_o2_percent: 91,
        mean_systolic: 120,
        activity_minutes: { walking: 16 },
        updated_at: '2026-01-10T08:01:00.000Z',
      });
    });

    it('when an entry was saved just before: it is counted (entries are read strongly consistent)', async () => {
      const query = jest.spyOn(db.items, 'queryPages');
      await entries.save(day, '2000', { note: 'late entry' });
      expect((await summaries.rebuild(day))?.entry_count).toBe(4);
      expect(query).toHaveBeenCalled();
      expect(query.mock.calls.every(([params]) => params.consistentRead === true)).toBe(true);
      await entries.delete(day, '2000');
      expect((await summaries.rebuild(day))?.entry_count).toBe(3);
    });

    it('when another writer changes the summary during the rebuild: it reads and computes again', async () => {
      const iterate = entries.iterateDates.bind(entries);
      jest.spyOn(entries, 'iterateDates').mockImplementationOnce(async function* (...args) {
        yield* iterate(...args);
        await db.items.putItem({ tableName: dailySummaryEntity.tableName(settings.table_prefix), item: { ...summaryOf(day), updated_at: '2026-01-01T00:00:00.000Z' } });
      });
      const summary = await summaries.rebuild(day);
      expect(summary?.entry_count).toBe(3);
      expect(await summaries.get(day)).toEqual(summary);
      expect(entries.iterateDates).toHaveBeenCalledTimes(2);
    });

    it('when the summary keeps changing under every attempt: conflict', async () => {
      const iterate = entries.iterateDates.bind(entries);
      let writes = 0;
      jest.spyOn(entries, 'iterateDates').mockImplementation(async function* (...args) {
        yield* iterate(...args);
        await db.items.putItem({ tableName: dailySummaryEntity.tableName(settings.table_prefix), item: { ...summaryOf(day), entry_count: ++writes, updated_at: '2026-01-01T00:00:00.000Z' } });
      });
      expect((await rejection(summaries.rebuild(day))).code).toBe('repository.conflict');
      expect(writes).toBe(3);
    });

    it('when every entry of the day is gone: the summary is deleted', async () => {
      await summaries.rebuild('2025-05-24');
      expect(await summaries.get('2025-05-24')).toBeDefined();
      await entries.delete('2025-05-24', '0800');
      expect(await summaries.rebuild('2025-05-24')).toBeUndefined();
      expect(await summaries.get('2025-05-24')).toBeUndefined();
    });

    it('when the date is malformed: invalidInput', async () => {
      expect((await rejection(summaries.rebuild('2025-02-29'))).code).toBe('repository.invalidInput');
    });
  });

  describe('.rebuildRange', () => {
    it('when some days have entries and one only a stale summary: saves the former, removes the latter', async () => {
      await entries.save('2025-08-10', '0900', { pain: { back: '3' } });
      await entries.save('2025-08-12', '0900', { pain: { back: '6' } });
      await entries.save('2025-08-12', '2100', { pain: { back: '2' } });
      await summaries.save(summaryOf('2025-08-11'));

      const report = await summaries.rebuildRange('2025-08-09', '2025-08-13');
      expect(report.saved.map((s) => [s.date, s.entry_count, s.mean_max_pain])).toEqual([
        ['2025-08-10', 1, 3],
        ['2025-08-12', 2, 4],
      ]);
      expect(report.removed).toEqual(['2025-08-11']);
      expect((await summaries.listRange('2025-08-09', '2025-08-13')).items.map((s) => s.date)).toEqual([
        '2025-08-10',
        '2025-08-12',
      ]);
    });
  });

  describe('.storedDateRange', () => {
    it('when entries and summaries are stored: the first and last date of either table; undefined when both are empty', async () => {
      const fresh = await testContainer();
      const freshEntries = fresh.container.get(HealthEntryRepository);
      const freshSummaries = new DailySummaryRepository(fresh.container.get(EntityStores), silentLogger, clock, freshEntries);
      try {
        expect(await freshSummaries.storedDateRange()).toBeUndefined();
        await freshEntries.save('2025-03-04', '0800', { medications: { a: '1', b: '2' } });
        await freshEntries.save('2025-01-02', '0800', { note: 'first entry' });
        expect(await freshSummaries.storedDateRange()).toEqual({ from: '2025-01-02', to: '2025-03-04' });
        await freshSummaries.save(summaryOf('2025-04-30'));
        expect(await freshSummaries.storedDateRange()).toEqual({ from: '2025-01-02', to: '2025-04-30' });
      } finally {
        await fresh.container.unbindAll();
      }
    });
  });

  describe('.save / .get', () => {
    it('when saved: updated_at is the repository clock, whatever the caller sent', async () => {
      clock.set('2026-02-01T12:00:00.000Z');
      const stored = await summaries.save({ ...summaryOf('2025-09-01'), updated_at: '1999-01-01T00:00:00.000Z' });
      expect(stored.updated_at).toBe('2026-02-01T12:00:00.000Z');
      expect(await summaries.get('2025-09-01')).toEqual(stored);
      expect(await summaries.get('2025-09-02')).toBeUndefined();
    });

    it('when invalid: invalidInput listing every bad path, nothing stored', async () => {
      const error = await rejection(
        summaries.save({ ...summaryOf('2025-09-03'), entry_count: -1, max_pain_level: 11, extra: true }),
      );
      expect((error as VitalsError<'repository.invalidInput'>).details.issues.map((issue) => issue.path).sort()).toEqual([
        '(input)',
        'entry_count',
        'max_pain_level',
      ]);
      expect(await summaries.get('2025-09-03')).toBeUndefined();
    });

    it('when two saves start from the same read: exactly one conflict, the winner is stored', async () => {
      const read = await summaries.save(summaryOf('2025-09-04'));
      const results = await Promise.allSettled([
        summaries.save(summaryOf('2025-09-04', { entry_count: 2 }), { expected: read }),
        summaries.save(summaryOf('2025-09-04', { entry_count: 3 }), { expected: read }),
      ]);
      const won = results.filter((r): r is PromiseFulfilledResult<DailySummary> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as VitalsError).code)).toEqual(['repository.conflict']);
      expect(await summaries.get('2025-09-04')).toEqual(won[0]?.value);
    });
  });

  describe('.listRange', () => {
    const inRange = ['2025-07-01', '2025-07-02', '2025-07-04', '2025-07-10', '2025-07-31'];

    beforeAll(async () => {
      for (const date of ['2025-07-31', '2025-06-30', '2025-07-04', '2025-07-01', '2025-08-01', '2025-07-10', '2025-07-02']) {
        await summaries.save(summaryOf(date));
      }
    });

    it('when paging: every summary of the range once, sorted by date, none outside it', async () => {
      const dates: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await summaries.listRange('2025-07-01', '2025-07-31', { limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        dates.push(...page.items.map((summary) => summary.date));
        cursor = page.next_cursor;
        pages++;
      } while (cursor !== null);
      expect(dates).toEqual(inRange);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('when the whole range fits one page: no cursor', async () => {
      const page = await summaries.listRange('2025-07-01', '2025-07-31');
      expect(page.items.map((summary) => summary.date)).toEqual(inRange);
      expect(page.next_cursor).toBeNull();
    });

    it(`when the range spans more than ${MAX_SUMMARY_RANGE_DAYS} days: invalidInput on to (a leap year still fits)`, async () => {
      expect((await summaries.listRange('2024-01-01', '2024-12-31')).items).toEqual([]);
      const error = await rejection(summaries.listRange('2024-01-01', '2025-01-01'));
      expect(error.details).toMatchObject({ issues: [{ path: 'to' }] });
    });

    it('when the dates are malformed or reversed: invalidInput naming them', async () => {
      const malformed = await rejection(summaries.listRange('2025-7-1', 'soon'));
      expect((malformed as VitalsError<'repository.invalidInput'>).details.issues.map((i) => i.path)).toEqual(['from', 'to']);
      const reversed = await rejection(summaries.listRange('2025-07-31', '2025-07-01'));
      expect(reversed.details).toMatchObject({ issues: [{ path: 'to' }] });
      await expect(summaries.listRange('2025-07-01', '2025-07-31', { limit: 0 })).rejects.toMatchObject({
        code: 'repository.invalidInput',
      });
    });

    it('when a cursor comes from another range: invalidCursor', async () => {
      const { next_cursor } = await summaries.listRange('2025-07-01', '2025-07-31', { limit: 1 });
      await expect(summaries.listRange('2025-07-01', '2025-07-30', { cursor: next_cursor })).rejects.toMatchObject({
        code: 'repository.invalidCursor',
        details: { reason: 'foreign' },
      });
    });

    it("when a stored summary is invalid: it is skipped and reported, the rest is listed", async () => {
      await db.items.putItem({ tableName: dailySummaryEntity.tableName(settings.table_prefix), item: { ...summaryOf('2025-10-02'), updated_at: 'yesterday' } });
      await summaries.save(summaryOf('2025-10-03'));
      const page = await summaries.listRange('2025-10-01', '2025-10-05');
      expect(page.items.map((summary) => summary.date)).toEqual(['2025-10-03']);
      expect(page.skipped).toEqual([{ key: { date: '2025-10-02' }, issues: [expect.stringContaining('updated_at')] }]);

      const strict = new DailySummaryRepository(new EntityStores(db.items, silentLogger, { ...settings, strict: true }), silentLogger, clock, entries);
      await expect(strict.listRange('2025-10-01', '2025-10-05')).rejects.toMatchObject({ code: 'repository.invalidItem' });
    });
  });
});
