import type { DynamoDBService } from '../service/dynamodb.service.ts';
import { healthEntriesTable, localService, uniqueTableName } from '../test-support/dynamodb-local.ts';
import type { DynamoDBTables } from './dynamodb-tables.ts';

describe('DynamoDBTables (DynamoDB Local)', () => {
  let service: DynamoDBService;
  let tables: DynamoDBTables;
  const created: string[] = [];

  beforeAll(() => {
    service = localService();
    tables = service.tables;
  });
  afterAll(async () => {
    for (const table of created) {
      if (await tables.tableExists({ tableName: table })) await tables.deleteTable({ tableName: table });
    }
    service.close();
  });

  async function newTable(purpose: string): Promise<string> {
    const table = uniqueTableName(purpose);
    created.push(table);
    await tables.createTable(healthEntriesTable(table));
    return table;
  }

  describe('table lifecycle', () => {
    it('creates a table with a GSI, lists it, and deletes it', async () => {
      const table = uniqueTableName('lifecycle');
      const description = await tables.createTable(healthEntriesTable(table));
      expect(description.TableStatus).toBe('ACTIVE');
      expect(description.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(description.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['medication-index']);
      expect(await tables.tableExists({ tableName: table })).toBe(true);
      expect(await tables.listTables()).toContain(table);

      await tables.deleteTable({ tableName: table });
      expect(await tables.tableExists({ tableName: table })).toBe(false);
      expect(await tables.listTables()).not.toContain(table);
    });

    it('when PROVISIONED, uses the configured capacity units on the table and its GSIs', async () => {
      const provisioned = localService({ read_capacity_units: 7, write_capacity_units: 3 });
      const table = uniqueTableName('provisioned');
      created.push(table);
      const description = await provisioned.tables.createTable({ ...healthEntriesTable(table), billingMode: 'PROVISIONED' });
      provisioned.close();
      expect(description.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
      expect(description.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 7,
        WriteCapacityUnits: 3,
      });
    });
  });

  describe('table administration', () => {
    it('describes a table, or undefined when there is none', async () => {
      const table = await newTable('describe');
      expect((await tables.describeTable({ tableName: table }))?.TableName).toBe(table);
      expect(await tables.describeTable({ tableName: 'no-such-table' })).toBeUndefined();
    });

    it('enables TTL, reports it, and reports PITR as unsupported on DynamoDB Local', async () => {
      const table = await newTable('settings');
      expect(await tables.describeTableSettings({ tableName: table })).toEqual({ point_in_time_recovery: 'unsupported' });
      await tables.enableTimeToLive({ tableName: table, attributeName: 'expires_at' });
      expect(await tables.describeTableSettings({ tableName: table })).toEqual({
        ttl_attribute: 'expires_at',
        point_in_time_recovery: 'unsupported',
      });
      await expect(tables.setPointInTimeRecovery({ tableName: table, enabled: true })).rejects.toMatchObject({
        code: 'dynamodb.requestFailed',
        details: { aws_error: 'UnknownOperationException' },
      });
    });

    it('adds a GSI and switches deletion protection, waiting for ACTIVE', async () => {
      const table = await newTable('update');
      const withIndex = await tables.updateTable({
        tableName: table,
        createIndex: {
          index: {
            IndexName: 'pain-level-index',
            KeySchema: [
              { AttributeName: 'max_pain_level', KeyType: 'HASH' },
              { AttributeName: 'date', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          attributeDefinitions: [
            { AttributeName: 'max_pain_level', AttributeType: 'N' },
            { AttributeName: 'date', AttributeType: 'S' },
          ],
        },
      });
      expect(withIndex.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([
        'medication-index',
        'pain-level-index',
      ]);
      expect((await tables.updateTable({ tableName: table, deletionProtection: true })).DeletionProtectionEnabled).toBe(true);
      await expect(tables.deleteTable({ tableName: table })).rejects.toMatchObject({ code: 'dynamodb.requestFailed' });
      await tables.updateTable({ tableName: table, deletionProtection: false });
    });
  });
});
