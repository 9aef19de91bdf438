import { VitalsError } from '../errors/vitals-error.ts';
import type { DynamoDBService } from '../service/dynamodb.service.ts';
import type { DynamoDBTables } from '../tables/dynamodb-tables.ts';
import { healthEntriesTable, localService, uniqueTableName } from '../test-support/dynamodb-local.ts';
import type { DynamoDBItems } from './dynamodb-items.ts';

const names = { '#date': 'date', '#timestamp': 'timestamp' };

describe('DynamoDBItems (DynamoDB Local)', () => {
  let service: DynamoDBService;
  let db: DynamoDBItems;
  let tables: DynamoDBTables;
  const created: string[] = [];

  beforeAll(() => {
    service = localService();
    ({ items: db, tables } = service);
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
      await db.putItem({ tableName: table, item: entry });
      const { note: _absent, ...stored } = entry;
      expect(await db.getItem({ tableName: table, key })).toEqual(stored);

      const updated = await db.updateItem({
        tableName: table,
        key,
        update: {
          updateExpression: 'SET #note = :note, activities.walking = activities.walking + :more',
          expressionAttributeNames: { '#note': 'note' },
          expressionAttributeValues: { ':note': 'Pain is focused on the back', ':more': 4 },
        },
      });
      expect(updated).toEqual({ ...stored, note: 'Pain is focused on the back', activities: { walking: 20 } });

      expect(await db.deleteItem({ tableName: table, key })).toEqual(updated);
      expect(await db.getItem({ tableName: table, key })).toBeUndefined();
      expect(await db.deleteItem({ tableName: table, key })).toBeUndefined();
    });

    it('uses default_table_name when no table is given', async () => {
      const withDefault = localService({ default_table_name: table });
      await withDefault.items.putItem({ item: { date: '2025-05-24', timestamp: '0800', o2: '91' } });
      expect(await withDefault.items.getItem({ key: { date: '2025-05-24', timestamp: '0800' } })).toMatchObject({ o2: '91' });
      withDefault.close();
    });

    it('when a condition fails, throws conditionFailed carrying the existing item', async () => {
      await db.putItem({ tableName: table, item: { ...key, version: 1, o2: '90' } });
      const attempt = db.putItem({
        tableName: table,
        item: { ...key, version: 1, o2: '80' },
        condition: {
          conditionExpression: 'attribute_not_exists(#date)',
          expressionAttributeNames: { '#date': 'date' },
        },
      });
      await expect(attempt).rejects.toMatchObject({
        code: 'dynamodb.conditionFailed',
        details: { operation: 'putItem', table, existing_item: { ...key, version: 1, o2: '90' } },
      });

      const staleUpdate = db.updateItem({
        tableName: table,
        key,
        update: {
          updateExpression: 'SET o2 = :o2, version = :next',
          conditionExpression: 'version = :expected',
          expressionAttributeValues: { ':o2': '85', ':next': 3, ':expected': 2 },
        },
      });
      await expect(staleUpdate).rejects.toMatchObject({
        code: 'dynamodb.conditionFailed',
        details: { existing_item: { version: 1, o2: '90' } },
      });
      expect(await db.getItem({ tableName: table, key })).toMatchObject({ o2: '90', version: 1 });
    });

    it('when the table does not exist, fails with requestFailed naming the table', async () => {
      const error = await db.getItem({ tableName: 'no-such-table', key }).catch((e: unknown) => e);
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
      await db.batchWriteItems({ tableName: table, items });
    });

    it('query returns every item in order when limit is 0, following every page', async () => {
      const pages = [];
      for await (const page of db.queryPages({
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

      const all = await db.query({
        tableName: table,
        keyConditionExpression: '#date = :date',
        expressionAttributeNames: { '#date': 'date' },
        expressionAttributeValues: { ':date': day },
        limit: 0,
      });
      expect(all).toHaveLength(itemCount);
    });

    it('query honours limit, order, range conditions, filters and projections', async () => {
      const newestFive = await db.query({
        tableName: table,
        keyConditionExpression: '#date = :date AND #timestamp BETWEEN :from AND :to',
        expressionAttributeNames: names,
        expressionAttributeValues: { ':date': day, ':from': '0100', ':to': '0199' },
        scanIndexForward: false,
        projectionExpression: '#timestamp',
        limit: 5,
      });
      expect(newestFive).toEqual(['0199', '0198', '0197', '0196', '0195'].map((timestamp) => ({ timestamp })));

      const painful = await db.query({
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
      const oxycodone = await db.query({
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
        const iterator = db.queryPages({
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
      for await (const page of db.scanPages({ tableName: table })) pages.push(page);
      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages.reduce((sum, page) => sum + page.items.length, 0)).toBe(itemCount);

      const filtered = await db.scan({
        tableName: table,
        filterExpression: 'medication_taken = :med',
        projectionExpression: '#timestamp',
        expressionAttributeNames: { '#timestamp': 'timestamp' },
        expressionAttributeValues: { ':med': 'oxycodone' },
      });
      expect(filtered).toHaveLength(Math.ceil(itemCount / 3));
      expect(await db.scan({ tableName: table, limit: 10 })).toHaveLength(10);
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
      await db.batchWriteItems({ tableName: table, items });

      const keys = items.map(({ date, timestamp }) => ({ date, timestamp }));
      const read = await db.batchGetItems({ tableName: table, keys });
      expect(read).toHaveLength(1_000);
      const byTimestamp = new Map(read.map((item) => [item['timestamp'], item]));
      for (const item of items) expect(byTimestamp.get(item.timestamp)).toEqual(item);

      const missing = await db.batchGetItems({ tableName: table, keys: [{ date: '1999-01-01', timestamp: '0000' }, ...keys.slice(0, 1)] });
      expect(missing).toEqual([items[0]]);
    });

    it('when DynamoDB rejects a chunk, reports exactly the items not written', async () => {
      const table = await newTable('batch-invalid');
      const good = Array.from({ length: 30 }, (_, i) => ({ date: '2025-08-01', timestamp: String(i).padStart(4, '0') }));
      const bad = { date: '2025-08-01', timestamp: 42 }; // wrong key type
      const error = await db
        .batchWriteItems({ tableName: table, items: [...good, bad], concurrency: 1 })
        .catch((e: unknown) => e);
      expect(VitalsError.is(error, 'dynamodb.batchIncomplete')).toBe(true);
      const details = (error as VitalsError<'dynamodb.batchIncomplete'>).details;
      expect(details.reason).toBe('requestFailed');
      expect(details.unprocessed_items).toEqual([...good.slice(25), bad]);
      expect(await db.batchGetItems({ tableName: table, keys: good.slice(0, 25) })).toHaveLength(25);
    });
  });

  describe('.transactWrite', () => {
    let table: string;
    beforeAll(async () => {
      table = await newTable('transact');
    });

    it('applies every action or none', async () => {
      await db.putItem({ tableName: table, item: { date: '2025-09-01', timestamp: '0800', version: 1 } });
      await db.transactWrite({
        actions: [
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
        ],
      });
      expect(await db.getItem({ tableName: table, key: { date: '2025-09-01', timestamp: '0800' } })).toMatchObject({ version: 2 });

      const error = await db
        .transactWrite({
          actions: [
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
          ],
        })
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
      expect(await db.getItem({ tableName: table, key: { date: '2025-09-01', timestamp: '1000' } })).toBeUndefined();
      expect(await db.getItem({ tableName: table, key: { date: '2025-09-01', timestamp: '0900' } })).toMatchObject({ o2: '95' });
    });
  });
});
