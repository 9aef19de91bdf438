import { ModelError } from '../common/model-error.ts';
import { tableName, toCreateTableInput, toUpdateTimeToLiveInput } from './create-table-input.ts';
import type { TableDefinition } from './table-definition.ts';
import { dailySummaryEntity } from '../daily-summary/daily-summary.entity.ts';
import { allEntities } from '../entity/all-entities.ts';
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

    it('when building every table, gives the documented keys and index names', () => {
      const summary = allEntities.map((entity) => {
        const input = toCreateTableInput(entity.table);
        return [
          input.TableName,
          input.KeySchema.map((key) => `${key.AttributeName}:${key.KeyType}`).join(','),
          (input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).join(','),
        ];
      });
      expect(summary).toEqual([
        ['bg_readings', 'user_id:HASH,timestamp:RANGE', 'user_id-created_at-index'],
        ['user_tokens', 'user_id:HASH,provider:RANGE', 'provider-expires_at-index'],
        ['sync_jobs', 'job_id:HASH', 'status-scheduled_at-index,user_id-scheduled_at-index'],
        ['fusion-health-entries', 'date:HASH,timestamp:RANGE', 'medication-index,pain-level-index'],
        ['fusion-daily-summaries', 'date:HASH', ''],
      ]);
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
