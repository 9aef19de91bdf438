import type { DynamoDBService } from '@vitals/dynamodb-core';
import { healthEntryEntity } from '@vitals/models';
import type { Container } from 'inversify';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { silentLogger, testContainer } from '../test-support/dynamodb-local.ts';
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
