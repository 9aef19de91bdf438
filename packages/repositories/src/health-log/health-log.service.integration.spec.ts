import { buildDailySummary, type DailySummary, type HealthEntry } from '@vitals/models';
import type { Container } from 'inversify';
import { DailySummaryRepository } from '../daily-summary/daily-summary.repository.ts';
import { HealthEntryRepository } from '../health-entry/health-entry.repository.ts';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import { HealthLogService } from './health-log.service.ts';

const morning = { medications: { oxycodone: '5mg', journavx: '100mg' }, pain: { back: '6-7-8' }, activities: { walking: 16 }, o2: '95', bpr: '120/80' };
const noon = { medications: { tylenol: '500mg' }, pain: { knee: '3' }, sleep: '7:30' };
const evening = { medications: { journavx: '100mg' }, pain: { back: '9' }, o2: '88' };

/** A consumer of the published package: the container the module builds, nothing bound by hand. */
describe(HealthLogService.name, () => {
  let container: Container;
  let health: HealthLogService;
  let entries: HealthEntryRepository;
  let summaries: DailySummaryRepository;
  const clock = manualClock('2026-02-01T08:00:00.000Z');

  beforeAll(async () => {
    ({ container } = await testContainer({}, { clock }));
    health = container.get(HealthLogService);
    entries = container.get(HealthEntryRepository);
    summaries = container.get(DailySummaryRepository);
  });
  afterAll(() => container.unbindAll());

  /** The summary the day's stored entries call for now, or undefined for a day without entries. */
  async function currentSummary(date: string): Promise<DailySummary | undefined> {
    const stored: HealthEntry[] = [];
    for await (const entry of entries.iterateDates(date, date, { consistentRead: true })) stored.push(entry);
    return stored.length === 0 ? undefined : buildDailySummary(date, stored, clock.now());
  }

  async function expectCurrent(date: string): Promise<DailySummary | undefined> {
    const summary = await summaries.get(date);
    expect(summary).toEqual(await currentSummary(date));
    return summary;
  }

  describe('.saveEntry', () => {
    it("when an entry is saved, stores it with its index items and the day's summary counts it", async () => {
      const entry = await health.saveEntry('2025-06-01', '0800', morning);
      expect(entry).toMatchObject({ date: '2025-06-01', timestamp: '0800', medication_taken: 'oxycodone', max_pain_level: 8 });
      expect(await entries.get('2025-06-01', '0800')).toEqual(entry);
      expect((await entries.listByMedication('journavx', { from: '2025-06-01', to: '2025-06-01' })).items).toEqual([entry]);
      expect(await expectCurrent('2025-06-01')).toMatchObject({ entry_count: 1, max_pain_level: 8, medication_doses: { oxycodone: 1, journavx: 1 } });
    });

    it('when more entries are saved and one is changed, the summary follows every write', async () => {
      clock.set('2026-02-01T09:00:00.000Z');
      await health.saveEntry('2025-06-02', '0800', morning);
      await health.saveEntry('2025-06-02', '1300', noon);
      expect(await expectCurrent('2025-06-02')).toMatchObject({ entry_count: 2, max_pain_level: 8, sleep_minutes: 450 });
      clock.set('2026-02-01T09:05:00.000Z');
      await health.saveEntry('2025-06-02', '0800', { ...morning, pain: { back: '2' } });
      expect(await expectCurrent('2025-06-02')).toMatchObject({ entry_count: 2, max_pain_level: 3, updated_at: '2026-02-01T09:05:00.000Z' });
    });

    it('when the summary was stale before the save, the save leaves it current', async () => {
      await entries.save('2025-06-03', '0800', morning); // behind the service's back: no summary yet
      expect(await summaries.get('2025-06-03')).toBeUndefined();
      await health.saveEntry('2025-06-03', '1900', evening);
      expect(await expectCurrent('2025-06-03')).toMatchObject({ entry_count: 2, max_pain_level: 9 });
    });

    it('when the save is refused (invalid input, or the expected entry is not the stored one), writes neither entry nor summary', async () => {
      const invalid = await rejection(health.saveEntry('2025-06-04', '0800', { pain: { back: 'eleven' } }));
      expect(invalid.code).toBe('repository.invalidInput');
      expect(await entries.get('2025-06-04', '0800')).toBeUndefined();
      expect(await summaries.get('2025-06-04')).toBeUndefined();

      const before = await health.saveEntry('2025-06-05', '0800', morning).then(() => summaries.get('2025-06-05'));
      clock.set('2026-02-01T10:00:00.000Z');
      const conflict = await rejection(health.saveEntry('2025-06-05', '0800', noon, { expected: null }));
      expect(conflict.code).toBe('repository.conflict');
      expect(await summaries.get('2025-06-05')).toEqual(before);
    });
  });

  describe('.deleteEntry', () => {
    it("when an entry is deleted, removes it with its index items and the day's summary no longer counts it", async () => {
      await health.saveEntry('2025-07-01', '0800', morning);
      await health.saveEntry('2025-07-01', '1300', noon);
      const deleted = await health.deleteEntry('2025-07-01', '0800');
      expect(deleted).toMatchObject({ date: '2025-07-01', timestamp: '0800' });
      expect(await entries.get('2025-07-01', '0800')).toBeUndefined();
      expect((await entries.listByMedication('journavx', { from: '2025-07-01', to: '2025-07-01' })).items).toEqual([]);
      expect(await expectCurrent('2025-07-01')).toMatchObject({ entry_count: 1, max_pain_level: 3 });
    });

    it("when the day's last entry is deleted, its summary is deleted too", async () => {
      await health.saveEntry('2025-07-02', '0800', morning);
      expect(await summaries.get('2025-07-02')).toBeDefined();
      await health.deleteEntry('2025-07-02', '0800');
      expect(await summaries.get('2025-07-02')).toBeUndefined();
    });

    it('when there is no entry, resolves undefined and leaves the summary as it is', async () => {
      await health.saveEntry('2025-07-03', '0800', morning);
      const before = await summaries.get('2025-07-03');
      clock.set('2026-02-01T11:00:00.000Z');
      expect(await health.deleteEntry('2025-07-03', '2300')).toBeUndefined();
      expect(await summaries.get('2025-07-03')).toEqual(before);
    });

    it('when the expected entry is not the stored one, is repository.conflict and deletes nothing', async () => {
      const entry = await health.saveEntry('2025-07-04', '0800', morning);
      await health.saveEntry('2025-07-04', '0800', noon);
      const error = await rejection(health.deleteEntry('2025-07-04', '0800', { expected: entry }));
      expect(error.code).toBe('repository.conflict');
      expect(await entries.get('2025-07-04', '0800')).toMatchObject({ medication_taken: 'tylenol' });
      expect(await expectCurrent('2025-07-04')).toMatchObject({ entry_count: 1, medication_doses: { tylenol: 1 } });
    });
  });

  describe('.importDays', () => {
    /** `days` days from 2025-08-01, three entries each. */
    const writesOf = (days: number, input: object = morning) =>
      Array.from({ length: days }, (_, day) => `2025-08-${String(day + 1).padStart(2, '0')}`).flatMap((date) =>
        ['0800', '1300', '1900'].map((time) => ({ date, time, input })),
      );

    it('when days are imported, stores every entry and rebuilds the summary of every date, more dates than are rebuilt at once', async () => {
      clock.set('2026-02-02T08:00:00.000Z');
      const writes = writesOf(20);
      const imported = await health.importDays(writes);
      expect(imported.entries).toHaveLength(60);
      expect(imported.dates).toEqual([...new Set(writes.map((write) => write.date))]);
      const listed = await summaries.listRange('2025-08-01', '2025-08-31');
      expect(listed.items.map((summary) => summary.date)).toEqual(imported.dates);
      for (const date of imported.dates) expect(await expectCurrent(date)).toMatchObject({ entry_count: 3, max_pain_level: 8 });
    });

    it('when days already stored are imported again with other values, the summaries follow; the same import again changes nothing', async () => {
      clock.set('2026-02-02T09:00:00.000Z');
      const writes = writesOf(3, evening);
      await health.importDays(writes);
      for (const date of ['2025-08-01', '2025-08-02', '2025-08-03']) {
        expect(await expectCurrent(date)).toMatchObject({ entry_count: 3, max_pain_level: 9, medication_doses: { journavx: 3 } });
      }
      const again = await health.importDays(writes);
      expect(again.dates).toEqual(['2025-08-01', '2025-08-02', '2025-08-03']);
      for (const date of again.dates) expect(await expectCurrent(date)).toMatchObject({ entry_count: 3, max_pain_level: 9 });
    });

    it('when a day is imported into a date that has entries already, its summary counts them all', async () => {
      await health.saveEntry('2025-09-01', '0600', noon);
      await health.importDays([{ date: '2025-09-01', time: '2000', input: evening }]);
      expect(await expectCurrent('2025-09-01')).toMatchObject({ entry_count: 2, max_pain_level: 9 });
    });

    it('when one write is invalid, rejects with every issue at its index and stores no entry and no summary', async () => {
      const error = await rejection(
        health.importDays([
          { date: '2025-10-01', time: '0800', input: morning },
          { date: '2025-10-02', time: '0800', input: { pain: { back: 'eleven' } } },
        ]),
      );
      expect(error.code).toBe('repository.invalidInput');
      expect(JSON.stringify(error.details)).toContain('[1].pain.back');
      expect(await entries.get('2025-10-01', '0800')).toBeUndefined();
      expect((await summaries.listRange('2025-10-01', '2025-10-02')).items).toEqual([]);
    });
  });
});
