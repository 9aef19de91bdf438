import type { VitalsError } from '@vitals/dynamodb-core';
import type { DynamoDBService } from '@vitals/dynamodb-core';
import { healthEntryEntity, type HealthEntry } from '@vitals/models';
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
});
