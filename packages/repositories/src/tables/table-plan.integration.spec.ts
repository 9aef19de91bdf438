import { DynamoDBService, createLogger } from '@vitals/dynamodb-core';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { allEntities, glucoseReadingEntity, syncJobEntity, userTokenEntity } from '@vitals/models';
import { randomUUID } from 'node:crypto';
import { createMissingTables } from './create-tables.ts';
import { ensureTables, planTables } from './table-plan.ts';

describe('table plan', () => {
  const db = new DynamoDBService(createLogger({ level: 'silent' }), {
    region_name: 'us-east-1',
    endpoint_url: testDynamoDBEndpoint(),
    aws_access_key_id: 'local',
    aws_secret_access_key: 'local',
  }).tables;
  const prefix = () => `plan-${randomUUID().slice(0, 8)}-`;

  describe('.ensureTables', () => {
    it('when the tables are missing, creates them with their GSIs and TTL: planTables then has nothing to do, and a second run applies nothing', async () => {
      const options = { prefix: prefix() };
      const { applied } = await ensureTables(db, options);
      const created = applied.filter((action) => action.action === 'createTable').map((action) => action.table);
      expect(created).toHaveLength(allEntities.length);
      expect(created).toEqual(allEntities.map((entity) => entity.tableName(options.prefix)));
      expect(applied).toContainEqual({ table: glucoseReadingEntity.tableName(options.prefix), action: 'enableTimeToLive', attribute: 'expires_at' });
      expect((await db.describeTableSettings({ tableName: syncJobEntity.tableName(options.prefix) })).ttl_attribute).toBe('expires_at');

      expect(await planTables(db, options)).toEqual({ actions: [], skipped: [] });
      expect(await ensureTables(db, options)).toEqual({ applied: [], skipped: [] });
    });
  });

  describe('createMissingTables', () => {
    it('when creating a table with a TTL attribute, enables TTL too, and resolves with the names it created', async () => {
      const options = { prefix: prefix(), tables: [glucoseReadingEntity.table, userTokenEntity.table] };
      expect(await createMissingTables(db, options)).toEqual([glucoseReadingEntity.tableName(options.prefix), userTokenEntity.tableName(options.prefix)]);
      expect(await planTables(db, options)).toEqual({ actions: [], skipped: [] });
      expect(await createMissingTables(db, options)).toEqual([]);
    });
  });
});
