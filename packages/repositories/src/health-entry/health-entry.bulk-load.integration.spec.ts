import type { VitalsError } from '@vitals/dynamodb-core';
import type { DynamoDBService } from '@vitals/dynamodb-core';
import { healthEntryEntity, healthEntryItems, type HealthEntry } from '@vitals/models';
import type { Container } from 'inversify';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { keyOf, timestampsStored } from '../test-support/health-entries.ts';
import { rejection } from '../test-support/rejection.ts';
import { HealthEntryRepository } from './health-entry.repository.ts';

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
});
