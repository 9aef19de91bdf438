import { VitalsError } from '../errors/vitals-error.ts';
import { localService, uniqueTableName } from '../test-support/dynamodb-local.ts';
import type { DynamoDBService } from './dynamodb.service.ts';
import type { CreateTableParams } from './types.ts';

/** The health-log layout: both key attributes are DynamoDB reserved words. */
function healthEntriesTable(tableName: string): CreateTableParams {
  return {
    tableName,
    keySchema: [
      { AttributeName: 'date', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'date', AttributeType: 'S' },
      { AttributeName: 'timestamp', AttributeType: 'S' },
      { AttributeName: 'medication_taken', AttributeType: 'S' },
    ],
    globalSecondaryIndexes: [
      {
        IndexName: 'medication-index',
        KeySchema: [
          { AttributeName: 'medication_taken', KeyType: 'HASH' },
          { AttributeName: 'date', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

const names = { '#date': 'date', '#timestamp': 'timestamp' };

describe('DynamoDBService (DynamoDB Local)', () => {
  let service: DynamoDBService;
  const created: string[] = [];

  beforeAll(() => {
    service = localService();
  });
  afterAll(async () => {
    for (const table of created) {
      if (await service.tableExists(table)) await service.deleteTable(table);
    }
    service.close();
  });

  async function newTable(purpose: string, billingMode?: 'PROVISIONED'): Promise<string> {
    const table = uniqueTableName(purpose);
    created.push(table);
    await service.createTable({ ...healthEntriesTable(table), billingMode });
    return table;
  }

  describe('.ping', () => {
    it('answers with a latency', async () => {
      const { latency_ms } = await service.ping();
      expect(latency_ms).toBeGreaterThanOrEqual(0);
    });
  });

  describe('table lifecycle', () => {
    it('creates a table with a GSI, lists it, and deletes it', async () => {
      const table = uniqueTableName('lifecycle');
      const description = await service.createTable(healthEntriesTable(table));
      expect(description.TableStatus).toBe('ACTIVE');
      expect(description.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(description.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['medication-index']);
      expect(await service.tableExists(table)).toBe(true);
      expect(await service.listTables()).toContain(table);

      await service.deleteTable(table);
      expect(await service.tableExists(table)).toBe(false);
      expect(await service.listTables()).not.toContain(table);
    });

    it('when PROVISIONED, uses the configured capacity units on the table and its GSIs', async () => {
      const provisioned = localService({ read_capacity_units: 7, write_capacity_units: 3 });
      const table = uniqueTableName('provisioned');
      created.push(table);
      const description = await provisioned.createTable({ ...healthEntriesTable(table), billingMode: 'PROVISIONED' });
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
      expect((await service.describeTable(table))?.TableName).toBe(table);
      expect(await service.describeTable('no-such-table')).toBeUndefined();
    });

    it('enables TTL, reports it, and reports PITR as unsupported on DynamoDB Local', async () => {
      const table = await newTable('settings');
      expect(await service.describeTableSettings(table)).toEqual({ point_in_time_recovery: 'unsupported' });
      await service.enableTimeToLive(table, 'expires_at');
      expect(await service.describeTableSettings(table)).toEqual({
        ttl_attribute: 'expires_at',
        point_in_time_recovery: 'unsupported',
      });
      await expect(service.setPointInTimeRecovery(table, true)).rejects.toMatchObject({
        code: 'dynamodb.requestFailed',
        details: { aws_error: 'UnknownOperationException' },
      });
    });

    it('adds a GSI and switches deletion protection, waiting for ACTIVE', async () => {
      const table = await newTable('update');
      const withIndex = await service.updateTable({
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
      expect((await service.updateTable({ tableName: table, deletionProtection: true })).DeletionProtectionEnabled).toBe(true);
      await expect(service.deleteTable(table)).rejects.toMatchObject({ code: 'dynamodb.requestFailed' });
      await service.updateTable({ tableName: table, deletionProtection: false });
    });
  });

  describe('item CRUD with reserved-word keys (date, timestamp)', () => {
    let table: string;
    beforeAll(async () => {
      table = await newTable('items');
    });

    const key = { date: '2025-05-23', timestamp: '1300' };
    const entry = {
      ...key,
      medications: { oxycodone: '5mg', journavx: '100mg' },
      pain: { back: '6-7-8' },
      activities: { walking: 16 },
      o2: '88',
      note: undefined,
    };

    it('puts, gets, updates and deletes an item', async () => {
      await service.putItem(entry, table);
      const { note: _absent, ...stored } = entry;
      expect(await service.getItem(key, table)).toEqual(stored);

      const updated = await service.updateItem(
        key,
        {
          updateExpression: 'SET #note = :note, activities.walking = activities.walking + :more',
          expressionAttributeNames: { '#note': 'note' },
          expressionAttributeValues: { ':note': 'Pain is focused on the back', ':more': 4 },
        },
        table,
      );
      expect(updated).toEqual({ ...stored, note: 'Pain is focused on the back', activities: { walking: 20 } });

      expect(await service.deleteItem(key, table)).toEqual(updated);
      expect(await service.getItem(key, table)).toBeUndefined();
      expect(await service.deleteItem(key, table)).toBeUndefined();
    });

    it('uses default_table_name when no table is given', async () => {
      const withDefault = localService({ default_table_name: table });
      await withDefault.putItem({ date: '2025-05-24', timestamp: '0800', o2: '91' });
      expect(await withDefault.getItem({ date: '2025-05-24', timestamp: '0800' })).toMatchObject({ o2: '91' });
      withDefault.close();
    });

    it('when a condition fails, throws conditionFailed carrying the existing item', async () => {
      await service.putItem({ ...key, version: 1, o2: '90' }, table);
      const attempt = service.putItem({ ...key, version: 1, o2: '80' }, table, {
        conditionExpression: 'attribute_not_exists(#date)',
        expressionAttributeNames: { '#date': 'date' },
      });
      await expect(attempt).rejects.toMatchObject({
        code: 'dynamodb.conditionFailed',
        details: { operation: 'putItem', table, existing_item: { ...key, version: 1, o2: '90' } },
      });

      const staleUpdate = service.updateItem(
        key,
        {
          updateExpression: 'SET o2 = :o2, version = :next',
          conditionExpression: 'version = :expected',
          expressionAttributeValues: { ':o2': '85', ':next': 3, ':expected': 2 },
        },
        table,
      );
      await expect(staleUpdate).rejects.toMatchObject({
        code: 'dynamodb.conditionFailed',
        details: { existing_item: { version: 1, o2: '90' } },
      });
      expect(await service.getItem(key, table)).toMatchObject({ o2: '90', version: 1 });
    });

    it('when the table does not exist, fails with requestFailed naming the table', async () => {
      const error = await service.getItem(key, 'no-such-table').catch((e: unknown) => e);
      expect(VitalsError.is(error, 'dynamodb.requestFailed')).toBe(true);
      expect((error as VitalsError).message).toContain('no-such-table');
    });
  });

  describe('.query and .scan across several 1 MB pages', () => {
    let table: string;
    const day = '2025-06-01';
    const itemCount = 450;
    const padding = 'x'.repeat(10_000); // ~10 KB per item → ~4.5 MB in all, several 1 MB pages

    beforeAll(async () => {
      table = await newTable('pages');
      const items = Array.from({ length: itemCount }, (_, i) => ({
        date: day,
        timestamp: String(i).padStart(4, '0'),
        medication_taken: i % 3 === 0 ? 'oxycodone' : 'journavx',
        pain_level: i % 11,
        padding,
      }));
      await service.batchWriteItems(items, table);
    });

    it('query returns every item in order when limit is 0, following every page', async () => {
      const pages = [];
      for await (const page of service.queryPages({
        tableName: table,
        keyConditionExpression: '#date = :date',
        expressionAttributeNames: { '#date': 'date' },
        expressionAttributeValues: { ':date': day },
      })) {
        pages.push(page);
      }
      expect(pages.length).toBeGreaterThanOrEqual(4);
      const timestamps = pages.flatMap((page) => page.items.map((item) => item['timestamp']));
      expect(timestamps).toEqual(Array.from({ length: itemCount }, (_, i) => String(i).padStart(4, '0')));

      const all = await service.query({
        tableName: table,
        keyConditionExpression: '#date = :date',
        expressionAttributeNames: { '#date': 'date' },
        expressionAttributeValues: { ':date': day },
        limit: 0,
      });
      expect(all).toHaveLength(itemCount);
    });

    it('query honours limit, order, range conditions, filters and projections', async () => {
      const newestFive = await service.query({
        tableName: table,
        keyConditionExpression: '#date = :date AND #timestamp BETWEEN :from AND :to',
        expressionAttributeNames: names,
        expressionAttributeValues: { ':date': day, ':from': '0100', ':to': '0199' },
        scanIndexForward: false,
        projectionExpression: '#timestamp',
        limit: 5,
      });
      expect(newestFive).toEqual(['0199', '0198', '0197', '0196', '0195'].map((timestamp) => ({ timestamp })));

      const painful = await service.query({
        tableName: table,
        keyConditionExpression: '#date = :date',
        filterExpression: 'pain_level = :ten',
        projectionExpression: '#timestamp, pain_level',
        expressionAttributeNames: names,
        expressionAttributeValues: { ':date': day, ':ten': 10 },
        limit: 7,
      });
      expect(painful).toHaveLength(7);
      expect(painful.every((item) => item['pain_level'] === 10)).toBe(true);
    });

    it('query reads a GSI', async () => {
      const oxycodone = await service.query({
        tableName: table,
        indexName: 'medication-index',
        keyConditionExpression: 'medication_taken = :med AND #date = :date',
        expressionAttributeNames: names,
        expressionAttributeValues: { ':med': 'oxycodone', ':date': day },
        projectionExpression: '#timestamp',
      });
      expect(oxycodone).toHaveLength(Math.ceil(itemCount / 3));
    });

    it('pages resume from a lastEvaluatedKey without gaps or duplicates', async () => {
      const seen: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const iterator = service.queryPages({
          tableName: table,
          keyConditionExpression: '#date = :date',
          expressionAttributeNames: names,
          expressionAttributeValues: { ':date': day },
          projectionExpression: '#timestamp',
          pageSize: 37,
          exclusiveStartKey: startKey,
        });
        const first = await iterator.next();
        await iterator.return(undefined);
        if (first.done) throw new Error('queryPages yielded no page');
        seen.push(...first.value.items.map((item) => String(item['timestamp'])));
        startKey = first.value.lastEvaluatedKey;
      } while (startKey);
      expect(seen).toHaveLength(itemCount);
      expect(new Set(seen).size).toBe(itemCount);
    });

    it('scan returns every item across pages, and filters', async () => {
      const pages = [];
      for await (const page of service.scanPages({ tableName: table })) pages.push(page);
      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages.reduce((sum, page) => sum + page.items.length, 0)).toBe(itemCount);

      const filtered = await service.scan({
        tableName: table,
        filterExpression: 'medication_taken = :med',
        projectionExpression: '#timestamp',
        expressionAttributeNames: { '#timestamp': 'timestamp' },
        expressionAttributeValues: { ':med': 'oxycodone' },
      });
      expect(filtered).toHaveLength(Math.ceil(itemCount / 3));
      expect(await service.scan({ tableName: table, limit: 10 })).toHaveLength(10);
    });
  });

  describe('batches', () => {
    it('writes 1,000 items, then reads all 1,000 back', async () => {
      const table = await newTable('batch');
      const items = Array.from({ length: 1_000 }, (_, i) => ({
        date: `2025-07-${String((i % 28) + 1).padStart(2, '0')}`,
        timestamp: String(i).padStart(4, '0'),
        value: i,
      }));
      await service.batchWriteItems(items, table);

      const keys = items.map(({ date, timestamp }) => ({ date, timestamp }));
      const read = await service.batchGetItems(keys, table);
      expect(read).toHaveLength(1_000);
      const byTimestamp = new Map(read.map((item) => [item['timestamp'], item]));
      for (const item of items) expect(byTimestamp.get(item.timestamp)).toEqual(item);

      const missing = await service.batchGetItems([{ date: '1999-01-01', timestamp: '0000' }, ...keys.slice(0, 1)], table);
      expect(missing).toEqual([items[0]]);
    });

    it('when DynamoDB rejects a chunk, reports exactly the items not written', async () => {
      const table = await newTable('batch-invalid');
      const good = Array.from({ length: 30 }, (_, i) => ({ date: '2025-08-01', timestamp: String(i).padStart(4, '0') }));
      const bad = { date: '2025-08-01', timestamp: 42 }; // wrong key type
      const error = await service
        .batchWriteItems([...good, bad], table, { concurrency: 1 })
        .catch((e: unknown) => e);
      expect(VitalsError.is(error, 'dynamodb.batchIncomplete')).toBe(true);
      const details = (error as VitalsError<'dynamodb.batchIncomplete'>).details;
      expect(details.reason).toBe('requestFailed');
      expect(details.unprocessed_items).toEqual([...good.slice(25), bad]);
      expect(await service.batchGetItems(good.slice(0, 25), table)).toHaveLength(25);
    });
  });

  describe('.transactWrite', () => {
    let table: string;
    beforeAll(async () => {
      table = await newTable('transact');
    });

    it('applies every action or none', async () => {
      await service.putItem({ date: '2025-09-01', timestamp: '0800', version: 1 }, table);
      await service.transactWrite([
        { put: { tableName: table, item: { date: '2025-09-01', timestamp: '0900', o2: '95' } } },
        {
          update: {
            tableName: table,
            key: { date: '2025-09-01', timestamp: '0800' },
            updateExpression: 'SET version = version + :one',
            conditionExpression: 'version = :one',
            expressionAttributeValues: { ':one': 1 },
          },
        },
      ]);
      expect(await service.getItem({ date: '2025-09-01', timestamp: '0800' }, table)).toMatchObject({ version: 2 });

      const error = await service
        .transactWrite([
          { put: { tableName: table, item: { date: '2025-09-01', timestamp: '1000' } } },
          {
            conditionCheck: {
              tableName: table,
              key: { date: '2025-09-01', timestamp: '0800' },
              conditionExpression: 'version = :one',
              expressionAttributeValues: { ':one': 1 },
            },
          },
          { delete: { tableName: table, key: { date: '2025-09-01', timestamp: '0900' } } },
        ])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'dynamodb.transactionCanceled',
        details: {
          reasons: [
            { index: 0, code: 'None' },
            { index: 1, code: 'ConditionalCheckFailed', item: { date: '2025-09-01', timestamp: '0800', version: 2 } },
            { index: 2, code: 'None' },
          ],
        },
      });
      expect(await service.getItem({ date: '2025-09-01', timestamp: '1000' }, table)).toBeUndefined();
      expect(await service.getItem({ date: '2025-09-01', timestamp: '0900' }, table)).toMatchObject({ o2: '95' });
    });
  });
});
