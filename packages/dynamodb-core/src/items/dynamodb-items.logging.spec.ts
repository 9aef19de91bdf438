import { BatchWriteCommand, PutCommand, QueryCommand, UpdateCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  conditionFailed,
  connectionRefused,
  documentMock,
  failureOf,
  fakeBatchGet,
  fakeBatchWrite,
  fastRetry,
  itemsUnderTest,
  keyOf,
  pagesOver,
  readings,
  TABLE,
  throttled,
  validationError,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBItems } from './dynamodb-items.ts';

describe(DynamoDBItems.name, () => {
  const t = itemsUnderTest();

  describe('logging', () => {
    const item = { pk: 'user#1', sk: 'reading#0000', glucose_mmol_l: 7.8, note: 'HEALTH-VALUE-9f3a' };

    it('when an item operation succeeds, logs DEBUG at the start and at the end, with its duration', async () => {
      documentMock.on(PutCommand).resolves({});
      t.log.records.length = 0;
      await t.db.putItem({ tableName: TABLE, item });
      expect(t.log.records.map((record) => [record.level, record.message])).toEqual([
        ['debug', 'putItem started'],
        ['debug', 'putItem done'],
      ]);
      expect(t.log.records[0].fields).toEqual({ operation: 'putItem', table: TABLE });
      expect(t.log.records[1].fields).toEqual({ operation: 'putItem', table: TABLE, duration_ms: expect.any(Number) });
    });

    it('when batchWriteItems succeeds, logs DEBUG with the item count, requests and retries', async () => {
      fakeBatchWrite((requested, call) => (call === 1 ? requested.slice(0, 2) : []));
      await t.db.batchWriteItems({ tableName: TABLE, items: readings(30), concurrency: 1, retry: fastRetry });
      expect(t.log.at('info')).not.toContainEqual(expect.objectContaining({ message: expect.stringMatching(/ done$/) }));
      expect(t.log.at('debug')).toContainEqual(
        expect.objectContaining({
          message: 'batchWriteItems done',
          fields: expect.objectContaining({ operation: 'batchWriteItems', table: TABLE, count: 30, requests: 3, retries: 1 }),
        }),
      );
    });

    it('when batchGetItems succeeds, logs DEBUG with the key count and the items found', async () => {
      fakeBatchGet(readings(5));
      await t.db.batchGetItems({ tableName: TABLE, keys: [...readings(5).map(keyOf), { pk: 'user#1', sk: 'missing' }] });
      expect(t.log.at('info')).not.toContainEqual(expect.objectContaining({ message: expect.stringMatching(/ done$/) }));
      expect(t.log.at('debug')).toContainEqual(
        expect.objectContaining({ fields: expect.objectContaining({ operation: 'batchGetItems', count: 6, found: 5, requests: 1, retries: 0 }) }),
      );
    });

    it('when a query completes, logs DEBUG with the item and page counts', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(readings(10), 4));
      await t.db.query({ tableName: TABLE, keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } });
      expect(t.log.at('debug')).toContainEqual(expect.objectContaining({ message: 'query started', fields: expect.objectContaining({ operation: 'query', table: TABLE }) }));
      expect(t.log.at('info')).not.toContainEqual(expect.objectContaining({ message: expect.stringMatching(/ done$/) }));
      expect(t.log.at('debug')).toContainEqual(
        expect.objectContaining({ message: 'query done', fields: expect.objectContaining({ operation: 'query', table: TABLE, count: 10, pages: 3 }) }),
      );
    });

    it('when an operation fails, logs ERROR with operation, table, code and AWS error name (not its message) before rethrowing', async () => {
      documentMock.on(PutCommand).rejects(validationError());
      const error = await failureOf(() => t.db.putItem({ tableName: TABLE, item }));
      expect(error.message).toContain('One or more parameter values were invalid');
      expect(t.log.at('error')).toEqual([
        {
          level: 'error',
          message: 'putItem failed',
          fields: expect.objectContaining({
            operation: 'putItem',
            table: TABLE,
            code: 'dynamodb.requestFailed',
            aws_error: 'ValidationException',
          }),
        },
      ]);
      expect(JSON.stringify(t.log.at('error'))).not.toContain('One or more parameter values were invalid');
      expect(t.log.at('info')).not.toContainEqual(expect.objectContaining({ message: 'putItem done' }));
    });

    it('when a query fails, logs ERROR with operation, table and code', async () => {
      documentMock.on(QueryCommand).rejects(connectionRefused());
      await failureOf(() => t.db.query({ tableName: TABLE, keyConditionExpression: 'pk = :pk' }));
      expect(t.log.at('error')).toContainEqual(
        expect.objectContaining({ fields: expect.objectContaining({ operation: 'query', table: TABLE, code: 'dynamodb.unavailable' }) }),
      );
    });

    it('when a conditional put fails, the logs never contain the item or the existing item', async () => {
      documentMock.on(PutCommand).rejects(conditionFailed(marshall({ ...item, note: 'EXISTING-VALUE-77c1' })));
      await failureOf(() => t.db.putItem({ tableName: TABLE, item, condition: { conditionExpression: 'attribute_not_exists(pk)' } }));
      // An expected outcome of optimistic locking: INFO, not ERROR.
      expect(t.log.at('error')).toHaveLength(0);
      expect(t.log.at('info')).toContainEqual(
        expect.objectContaining({
          message: 'putItem condition not met',
          fields: expect.objectContaining({ code: 'dynamodb.conditionFailed' }),
        }),
      );
      const logged = JSON.stringify(t.log.records);
      expect(logged).not.toContain('HEALTH-VALUE-9f3a');
      expect(logged).not.toContain('EXISTING-VALUE-77c1');
      expect(logged).not.toContain('7.8');
    });

    it('when an update fails, the logs never contain its key or values', async () => {
      documentMock.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'user#SECRET-ID' } }));
      await failureOf(() =>
        t.db.updateItem({
          tableName: TABLE,
          key: { pk: 'user#SECRET-ID', sk: 'x' },
          update: { updateExpression: 'SET note = :n', conditionExpression: 'attribute_exists(pk)', expressionAttributeValues: { ':n': 'HEALTH-VALUE-9f3a' } },
        }),
      );
      const logged = JSON.stringify(t.log.records);
      expect(logged).not.toContain('SECRET-ID');
      expect(logged).not.toContain('HEALTH-VALUE-9f3a');
    });

    it('when a batch write runs out of budget, the ERROR log names the code but no item value', async () => {
      const items = readings(3).map((reading, index) => ({ ...reading, note: `HEALTH-VALUE-${index}` }));
      documentMock.on(BatchWriteCommand).rejects(throttled());
      await failureOf(() => t.db.batchWriteItems({ tableName: TABLE, items, retry: fastRetry }));
      expect(t.log.at('error')).toContainEqual(
        expect.objectContaining({
          fields: expect.objectContaining({ operation: 'batchWriteItems', table: TABLE, code: 'dynamodb.batchIncomplete' }),
        }),
      );
      expect(JSON.stringify(t.log.records)).not.toContain('HEALTH-VALUE');
    });

    it('when the document client cannot marshal an item value, the ERROR log does not quote that value', async () => {
      // What DynamoDBDocumentClient does before sending: marshal the item with the service's options.
      // Its errors quote the offending value ("Unsupported type passed: <value>").
      documentMock.on(PutCommand).callsFake((input: PutCommandInput) => {
        marshall(input.Item ?? {}, { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false });
        return {};
      });
      const measuredAt = new Date('2025-05-23T13:00:00.000Z');
      const error = await failureOf(() => t.db.putItem({ tableName: TABLE, item: { pk: 'user#1', sk: 'reading#0001', measured_at: measuredAt } }));
      expect(error.code).toBe('dynamodb.requestFailed');
      expect(t.log.at('error')).toHaveLength(1);
      expect(JSON.stringify(t.log.records)).not.toContain(String(measuredAt));
    });
  });
});
