import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  connectionRefused,
  DEFAULT_TABLE,
  documentMock,
  failureOf,
  itemsUnderTest,
  keyOf,
  pagesOver,
  readings,
  TABLE,
  throttled,
  timedOut,
  validationError,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBItems } from './dynamodb-items.ts';

describe(DynamoDBItems.name, () => {
  const t = itemsUnderTest();

  describe('.query', () => {
    const rows = readings(10);
    const queryInputs = () => documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    const byUser = { keyConditionExpression: '#pk = :pk', expressionAttributeNames: { '#pk': 'pk' }, expressionAttributeValues: { ':pk': 'user#1' } };

    it('when limit is absent, follows every LastEvaluatedKey and returns every item', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.query({ ...byUser, tableName: TABLE })).resolves.toEqual(rows);
      expect(queryInputs().map((input) => input.ExclusiveStartKey)).toEqual([undefined, keyOf(rows[3]), keyOf(rows[7])]);
      expect(queryInputs().map((input) => input.Limit)).toEqual([undefined, undefined, undefined]);
    });

    it('when limit is 0, still returns every page', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.query({ ...byUser, tableName: TABLE, limit: 0 })).resolves.toHaveLength(10);
      expect(queryInputs()).toHaveLength(3);
    });

    it('when limit is N, returns exactly the first N items, asking each request for only the remainder', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.query({ ...byUser, tableName: TABLE, limit: 6 })).resolves.toEqual(rows.slice(0, 6));
      expect(queryInputs().map((input) => input.Limit)).toEqual([6, 2]);
    });

    it('when limit is reached on a page boundary, sends no further request', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.query({ ...byUser, tableName: TABLE, limit: 4 })).resolves.toEqual(rows.slice(0, 4));
      expect(queryInputs()).toHaveLength(1);
    });

    it('when a filter leaves pages short, keeps reading until limit items are found', async () => {
      documentMock
        .on(QueryCommand)
        .resolvesOnce({ Items: rows.slice(0, 1), LastEvaluatedKey: keyOf(rows[4]) })
        .resolvesOnce({ Items: rows.slice(5, 7), LastEvaluatedKey: keyOf(rows[8]) })
        .resolvesOnce({ Items: rows.slice(9, 10) });
      const items = await t.db.query({ ...byUser, tableName: TABLE, filterExpression: 'glucose_mmol_l > :g', limit: 3 });
      expect(items).toEqual([rows[0], rows[5], rows[6]]);
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 2]);
    });

    it('when pageSize is given, sends it as Limit, capped by what limit still needs', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 100));
      await expect(t.db.query({ ...byUser, tableName: TABLE, pageSize: 3 })).resolves.toHaveLength(10);
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 3, 3, 3]);

      documentMock.resetHistory();
      await expect(t.db.query({ ...byUser, tableName: TABLE, pageSize: 3, limit: 5 })).resolves.toEqual(rows.slice(0, 5));
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 2]);
    });

    it('passes the key condition, index, filter, projection, attribute names and values, order, consistency and start key through', async () => {
      documentMock.on(QueryCommand).resolves({ Items: [] });
      await t.db.query({
        tableName: TABLE,
        indexName: 'gsi1',
        keyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        filterExpression: '#g > :g',
        projectionExpression: '#pk, #sk, #g',
        expressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk', '#g': 'glucose_mmol_l' },
        expressionAttributeValues: { ':pk': 'user#1', ':prefix': '2025-05', ':g': 7 },
        scanIndexForward: false,
        consistentRead: false,
        exclusiveStartKey: keyOf(rows[2]),
      });
      expect(queryInputs()).toEqual([
        {
          TableName: TABLE,
          IndexName: 'gsi1',
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: '#g > :g',
          ProjectionExpression: '#pk, #sk, #g',
          ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk', '#g': 'glucose_mmol_l' },
          ExpressionAttributeValues: { ':pk': 'user#1', ':prefix': '2025-05', ':g': 7 },
          ScanIndexForward: false,
          ConsistentRead: false,
          ExclusiveStartKey: keyOf(rows[2]),
        },
      ]);
    });

    it('when given no table, queries default_table_name', async () => {
      documentMock.on(QueryCommand).resolves({ Items: [] });
      await t.db.query(byUser);
      expect(queryInputs()[0].TableName).toBe(DEFAULT_TABLE);
    });

    it.each([
      ['the connection is refused', 'dynamodb.unavailable', connectionRefused],
      ['the request times out', 'dynamodb.unavailable', timedOut],
      ['DynamoDB throttles it', 'dynamodb.unavailable', throttled],
      ['the request is invalid', 'dynamodb.requestFailed', validationError],
    ])('when %s, rejects with %s', async (_label, code, makeError) => {
      documentMock.on(QueryCommand).rejects(makeError());
      const error = await failureOf(() => t.db.query({ ...byUser, tableName: TABLE }));
      expect(error.code).toBe(code);
      expect(error.details).toMatchObject({ operation: 'query', table: TABLE });
    });

    it('when a later page fails, rejects rather than returning the partial result', async () => {
      documentMock.on(QueryCommand).resolvesOnce({ Items: rows.slice(0, 4), LastEvaluatedKey: keyOf(rows[3]) }).rejects(connectionRefused());
      expect((await failureOf(() => t.db.query({ ...byUser, tableName: TABLE }))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.queryPages', () => {
    const rows = readings(10);
    const byUser = { tableName: TABLE, keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } };

    it('yields each response page with its lastEvaluatedKey, the last page without one', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      const pages = [];
      for await (const page of t.db.queryPages(byUser)) pages.push(page);
      expect(pages).toEqual([
        { items: rows.slice(0, 4), lastEvaluatedKey: keyOf(rows[3]) },
        { items: rows.slice(4, 8), lastEvaluatedKey: keyOf(rows[7]) },
        { items: rows.slice(8, 10), lastEvaluatedKey: undefined },
      ]);
    });

    it('when the consumer stops after one page, sends no further request', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      for await (const page of t.db.queryPages(byUser)) {
        expect(page.items).toHaveLength(4);
        break;
      }
      expect(documentMock.commandCalls(QueryCommand)).toHaveLength(1);
    });

    it('when resumed from a lastEvaluatedKey, continues after it', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      const first = await t.db.queryPages(byUser).next();
      const lastEvaluatedKey = first.done ? undefined : first.value.lastEvaluatedKey;
      await expect(t.db.query({ ...byUser, exclusiveStartKey: lastEvaluatedKey })).resolves.toEqual(rows.slice(4));
    });

    it('when a request fails, the iteration rejects with a VitalsError', async () => {
      documentMock.on(QueryCommand).rejects(validationError());
      const iterator = t.db.queryPages(byUser);
      const error = await failureOf(() => iterator.next());
      expect(error.code).toBe('dynamodb.requestFailed');
    });
  });

  describe('.scan', () => {
    const rows = readings(9);
    const scanInputs = () => documentMock.commandCalls(ScanCommand).map((call) => call.args[0].input);

    it('when called with no parameters, scans the whole default table following every page', async () => {
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.scan()).resolves.toEqual(rows);
      expect(scanInputs().map((input) => [input.TableName, input.ExclusiveStartKey])).toEqual([
        [DEFAULT_TABLE, undefined],
        [DEFAULT_TABLE, keyOf(rows[3])],
        [DEFAULT_TABLE, keyOf(rows[7])],
      ]);
    });

    it('when limit is N, returns exactly N items and sends Limit as the remainder', async () => {
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 4));
      await expect(t.db.scan({ tableName: TABLE, limit: 7 })).resolves.toEqual(rows.slice(0, 7));
      expect(scanInputs().map((input) => input.Limit)).toEqual([7, 3]);
    });

    it('passes filter, attribute names and values, index and segment through', async () => {
      documentMock.on(ScanCommand).resolves({ Items: [] });
      await t.db.scan({
        tableName: TABLE,
        indexName: 'gsi1',
        filterExpression: '#t = :t',
        expressionAttributeNames: { '#t': 'type' },
        expressionAttributeValues: { ':t': 'glucose' },
        segment: 1,
        totalSegments: 4,
        consistentRead: true,
      });
      expect(scanInputs()).toEqual([
        {
          TableName: TABLE,
          IndexName: 'gsi1',
          FilterExpression: '#t = :t',
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: { ':t': 'glucose' },
          Segment: 1,
          TotalSegments: 4,
          ConsistentRead: true,
        },
      ]);
    });

    it.each([
      ['the connection is refused', 'dynamodb.unavailable', connectionRefused],
      ['the request times out', 'dynamodb.unavailable', timedOut],
      ['the request is invalid', 'dynamodb.requestFailed', validationError],
    ])('when %s, rejects with %s', async (_label, code, makeError) => {
      documentMock.on(ScanCommand).rejects(makeError());
      const error = await failureOf(() => t.db.scan({ tableName: TABLE }));
      expect(error.code).toBe(code);
      expect(error.details).toMatchObject({ operation: 'scan', table: TABLE });
    });
  });

  describe('.scanPages', () => {
    it('yields each page with its lastEvaluatedKey', async () => {
      const rows = readings(5);
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 2));
      const pages = [];
      for await (const page of t.db.scanPages({ tableName: TABLE })) pages.push(page);
      expect(pages).toEqual([
        { items: rows.slice(0, 2), lastEvaluatedKey: keyOf(rows[1]) },
        { items: rows.slice(2, 4), lastEvaluatedKey: keyOf(rows[3]) },
        { items: rows.slice(4), lastEvaluatedKey: undefined },
      ]);
    });
  });
});
