import { ModelError } from '../common/model-error.ts';
import { tableName, toCreateTableInput, toUpdateTimeToLiveInput } from './create-table-input.ts';
import type { TableDefinition } from './table-definition.ts';
import { dailySummaryEntity } from '../daily-summary/daily-summary.entity.ts';
import { allEntities } from '../entity/all-entities.ts';
import type { AnyEntity } from '../entity/entity-types.ts';
import { glucoseReadingEntity } from '../glucose-reading/glucose-reading.entity.ts';
import { healthEntryEntity } from '../health-entry/health-entry.entity.ts';
import { syncJobEntity } from '../sync-job/sync-job.entity.ts';
import { userTokenEntity } from '../user-token/user-token.entity.ts';

describe('create-table-input', () => {
  describe('.tableName', () => {
    it('when given a prefix, puts it in front of the table name', () => {
      expect(tableName(glucoseReadingEntity.table, 'dev-')).toBe('dev-bg_readings');
    });

    it('when given no prefix, returns the bare name', () => {
      expect(tableName(healthEntryEntity.table)).toBe('fusion-health-entries');
    });

    it('when the prefix makes the name invalid for DynamoDB, throws models.invalidTableName', () => {
      expect(() => tableName(glucoseReadingEntity.table, 'dev env/')).toThrow(
        expect.objectContaining({ code: 'models.invalidTableName' }),
      );
      expect(() => tableName(glucoseReadingEntity.table, 'x'.repeat(250))).toThrow(ModelError);
    });
  });

  describe('.toCreateTableInput', () => {
    it('when on-demand (the default), emits keys, attribute definitions and ALL-projected GSIs without throughput', () => {
      expect(toCreateTableInput(healthEntryEntity.table, { prefix: 'test-' })).toEqual({
        TableName: 'test-fusion-health-entries',
        KeySchema: [
          { AttributeName: 'date', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'date', AttributeType: 'S' },
          { AttributeName: 'timestamp', AttributeType: 'S' },
          { AttributeName: 'medication_taken', AttributeType: 'S' },
          { AttributeName: 'max_pain_level', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'medication-index',
            KeySchema: [
              { AttributeName: 'medication_taken', KeyType: 'HASH' },
              { AttributeName: 'date', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'pain-level-index',
            KeySchema: [
              { AttributeName: 'max_pain_level', KeyType: 'HASH' },
              { AttributeName: 'date', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('when provisioned, puts the capacity on the table and on every GSI', () => {
      const input = toCreateTableInput(syncJobEntity.table, {
        billingMode: 'PROVISIONED',
        readCapacityUnits: 10,
        writeCapacityUnits: 3,
      });
      const throughput = { ReadCapacityUnits: 10, WriteCapacityUnits: 3 };
      expect(input.BillingMode).toBe('PROVISIONED');
      expect(input.ProvisionedThroughput).toEqual(throughput);
      expect(input.GlobalSecondaryIndexes?.map((index) => index.ProvisionedThroughput)).toEqual([throughput, throughput]);
      expect(input.KeySchema).toEqual([{ AttributeName: 'job_id', KeyType: 'HASH' }]);
      expect(input.AttributeDefinitions).toEqual([
        { AttributeName: 'job_id', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'scheduled_at', AttributeType: 'S' },
        { AttributeName: 'user_id', AttributeType: 'S' },
      ]);
    });

    it('when provisioned without capacities, uses 5 read and 5 write units', () => {
      expect(toCreateTableInput(dailySummaryEntity.table, { billingMode: 'PROVISIONED' }).ProvisionedThroughput).toEqual({
        ReadCapacityUnits: 5,
        WriteCapacityUnits: 5,
      });
    });

    it('when the table has no GSI, omits GlobalSecondaryIndexes (CreateTable rejects an empty list)', () => {
      const input = toCreateTableInput(dailySummaryEntity.table);
      expect(input).not.toHaveProperty('GlobalSecondaryIndexes');
      expect(input).not.toHaveProperty('ProvisionedThroughput');
      expect(input.AttributeDefinitions).toEqual([{ AttributeName: 'date', AttributeType: 'S' }]);
    });

    it('when a GSI sort key is numeric, defines it as N', () => {
      expect(toCreateTableInput(userTokenEntity.table).AttributeDefinitions).toContainEqual({
        AttributeName: 'expires_at',
        AttributeType: 'N',
      });
    });

    it.each([
      [{ billingMode: 'PROVISIONED' as const, readCapacityUnits: 0 }],
      [{ billingMode: 'PROVISIONED' as const, writeCapacityUnits: 1.5 }],
      [{ billingMode: 'ON_DEMAND' as unknown as 'PROVISIONED' }],
    ])('when options are invalid (%p), throws models.invalidTableOptions', (options) => {
      expect(() => toCreateTableInput(glucoseReadingEntity.table, options)).toThrow(
        expect.objectContaining({ code: 'models.invalidTableOptions' }),
      );
    });

    it('when one attribute is declared with two types, throws models.invalidTableDefinition', () => {
      const broken: TableDefinition = {
        name: 'broken',
        partitionKey: { name: 'id', type: 'S' },
        globalSecondaryIndexes: [{ name: 'by-id', partitionKey: { name: 'id', type: 'N' } }],
      };
      expect(() => toCreateTableInput(broken)).toThrow(expect.objectContaining({ code: 'models.invalidTableDefinition' }));
    });

    it('when building every registered table, gives distinct names and the keys and indexes of its definition', () => {
      // Each table's own keys and index names are pinned in its entity's spec (`<entity>.entity.spec.ts`).
      const built = allEntities.map((entity) => {
        const input = toCreateTableInput(entity.table);
        return {
          entity: entity.name,
          table: input.TableName,
          keys: input.KeySchema,
          indexes: (input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName),
          index_builders: Object.keys((entity as AnyEntity & { indexes: object }).indexes),
        };
      });
      const declared = allEntities.map((entity) => {
        const { name, partitionKey, sortKey, globalSecondaryIndexes } = entity.table;
        const indexes = globalSecondaryIndexes.map((index) => index.name);
        return {
          entity: entity.name,
          table: name,
          keys: [{ AttributeName: partitionKey.name, KeyType: 'HASH' }, ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' }])],
          indexes,
          index_builders: indexes,
        };
      });
      expect(built).toEqual(declared);
      const repeated = (names: string[]) => names.filter((name, at) => names.indexOf(name) !== at);
      expect(repeated(built.map((table) => table.table))).toEqual([]);
      expect(repeated(built.map((table) => table.entity))).toEqual([]);
    });

    it('when listing the registry, keeps the five tables Vitals was built with, in creation order', () => {
      // A new entity goes at the end of `allEntities`; none of these may be dropped or moved.
      const known = [glucoseReadingEntity, userTokenEntity, syncJobEntity, healthEntryEntity, dailySummaryEntity];
      const first = allEntities.slice(0, known.length);
      expect(first.map((entity) => entity.name)).toEqual(known.map((entity) => entity.name));
      expect(first.every((entity, at) => entity === known[at])).toBe(true);
    });
  });

  describe('.toUpdateTimeToLiveInput', () => {
    it('when the table has a TTL attribute, enables TTL on it', () => {
      expect(toUpdateTimeToLiveInput(glucoseReadingEntity.table, 'dev-')).toEqual({
        TableName: 'dev-bg_readings',
        TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      });
      expect(toUpdateTimeToLiveInput(syncJobEntity.table)?.TimeToLiveSpecification.AttributeName).toBe('expires_at');
    });

    it('when the table has none, returns undefined', () => {
      expect(toUpdateTimeToLiveInput(userTokenEntity.table)).toBeUndefined();
      expect(toUpdateTimeToLiveInput(healthEntryEntity.table)).toBeUndefined();
      expect(toUpdateTimeToLiveInput(dailySummaryEntity.table)).toBeUndefined();
    });
  });
});
