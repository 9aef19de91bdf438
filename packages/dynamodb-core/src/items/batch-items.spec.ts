import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { VitalsError } from '../errors/vitals-error.ts';
import {
  batchGetRequests,
  batchWriteRequests,
  DEFAULT_TABLE,
  detailsOf,
  documentMock,
  failureOf,
  fakeBatchGet,
  fakeBatchWrite,
  fastRetry,
  itemsUnderTest,
  keyOf,
  readings,
  sorted,
  TABLE,
  throttled,
  validationError,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBItems } from './dynamodb-items.ts';

describe(DynamoDBItems.name, () => {
  const t = itemsUnderTest();

  describe('.batchWriteItems', () => {
    it('when given 60 items, sends 3 BatchWrite requests of 25, 25 and 10, each item once', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite();
      await expect(t.db.batchWriteItems({ tableName: TABLE, items, retry: fastRetry })).resolves.toBeUndefined();
      const requests = batchWriteRequests();
      expect(requests.map((request) => request.length).sort((a, b) => b - a)).toEqual([25, 25, 10]);
      expect(sorted(requests.flat())).toEqual(items);
      expect(sorted(accepted)).toEqual(items);
    });

    it('when given no table, writes to default_table_name', async () => {
      documentMock.on(BatchWriteCommand).resolves({});
      await t.db.batchWriteItems({ items: readings(2) });
      expect(batchWriteRequests(DEFAULT_TABLE)).toEqual([readings(2)]);
    });

    it('when given no items, sends no request', async () => {
      documentMock.on(BatchWriteCommand).resolves({});
      await t.db.batchWriteItems({ tableName: TABLE, items: [] });
      expect(documentMock.calls()).toHaveLength(0);
    });

    it('when some items come back unprocessed once, retries exactly those and writes everything', async () => {
      const items = readings(10);
      const accepted = fakeBatchWrite((requested, call) => (call === 1 ? [requested[3], requested[7]] : []));
      await t.db.batchWriteItems({ tableName: TABLE, items, retry: fastRetry });
      expect(batchWriteRequests()).toEqual([items, [items[3], items[7]]]);
      expect(sorted(accepted)).toEqual(items);
    });

    it('when items come back unprocessed on every attempt, throws batchIncomplete listing exactly the items never written', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite((requested) => requested.slice(-5));
      const error = await failureOf(() => t.db.batchWriteItems({ tableName: TABLE, items, concurrency: 1, retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      // The first chunk wrote 20 items, then its last 5 stayed unprocessed for all 3 attempts;
      // the two chunks after it were never started.
      expect(sorted(accepted)).toEqual(items.slice(0, 20));
      expect(sorted(details.unprocessed_items ?? [])).toEqual(items.slice(20));
      expect(details).toMatchObject({
        operation: 'batchWriteItems',
        table: TABLE,
        reason: 'retryBudgetExhausted',
        requested_count: 60,
        unprocessed_count: 40,
      });
      expect(batchWriteRequests()).toHaveLength(3);
    });

    it('when every chunk keeps items unprocessed, reports each chunk’s leftovers and nothing that was written', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite((requested) => requested.slice(-5));
      const error = await failureOf(() => t.db.batchWriteItems({ tableName: TABLE, items, retry: fastRetry }));
      const unprocessed = detailsOf(error, 'dynamodb.batchIncomplete').unprocessed_items ?? [];
      expect(sorted(unprocessed)).toEqual([...items.slice(20, 25), ...items.slice(45, 50), ...items.slice(55, 60)]);
      expect(sorted([...accepted, ...unprocessed])).toEqual(items);
    });

    it('when a request is throttled once, retries it and writes everything', async () => {
      const items = readings(30);
      const accepted = fakeBatchWrite((_requested, call) => {
        if (call === 1) throw throttled();
        return [];
      });
      await t.db.batchWriteItems({ tableName: TABLE, items, concurrency: 1, retry: fastRetry });
      expect(sorted(accepted)).toEqual(items);
      expect(batchWriteRequests().map((request) => request.length)).toEqual([25, 25, 5]);
    });

    it('when every attempt is throttled, throws batchIncomplete (budget exhausted) with every item unwritten', async () => {
      const items = readings(60);
      documentMock.on(BatchWriteCommand).rejects(throttled());
      const error = await failureOf(() => t.db.batchWriteItems({ tableName: TABLE, items, concurrency: 1, retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      expect(details.reason).toBe('retryBudgetExhausted');
      expect(sorted(details.unprocessed_items ?? [])).toEqual(items);
      expect(VitalsError.is(error.cause, 'dynamodb.unavailable')).toBe(true);
      expect(batchWriteRequests()).toHaveLength(3);
    });

    it('when DynamoDB rejects a request as invalid, stops without retrying it and reports requestFailed', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite((_requested, call) => {
        if (call === 2) throw validationError();
        return [];
      });
      const error = await failureOf(() => t.db.batchWriteItems({ tableName: TABLE, items, concurrency: 1, retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      expect(details.reason).toBe('requestFailed');
      expect(VitalsError.is(error.cause, 'dynamodb.requestFailed')).toBe(true);
      // The first chunk was written; the failed chunk and the one never started are reported.
      expect(sorted(details.unprocessed_items ?? [])).toEqual(items.slice(25));
      expect(sorted(accepted)).toEqual(items.slice(0, 25));
      expect(batchWriteRequests()).toHaveLength(2);
    });

    it('when concurrency is 2, never has more than 2 requests in flight', async () => {
      let inFlight = 0;
      let mostInFlight = 0;
      documentMock.on(BatchWriteCommand).callsFake(async () => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return {};
      });
      await t.db.batchWriteItems({ tableName: TABLE, items: readings(200), concurrency: 2, retry: fastRetry });
      expect(batchWriteRequests()).toHaveLength(8);
      expect(mostInFlight).toBe(2);
    });

    it('when the retry budget is below one attempt, throws before sending anything', async () => {
      await expect(t.db.batchWriteItems({ tableName: TABLE, items: readings(3), retry: { maxAttempts: 0 } })).rejects.toThrow(RangeError);
      expect(documentMock.calls()).toHaveLength(0);
    });
  });

  describe('.batchGetItems', () => {
    const stored = readings(250);
    const keys = stored.map(keyOf);

    it('when given 250 keys, sends 3 BatchGet requests of 100, 100 and 50 and resolves every item', async () => {
      fakeBatchGet(stored);
      const items = await t.db.batchGetItems({ tableName: TABLE, keys, retry: fastRetry });
      expect(sorted(items)).toEqual(stored);
      expect(batchGetRequests().map((request) => request.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
      expect(sorted(batchGetRequests().flat())).toEqual(keys);
    });

    it('when a key has no item, leaves it out of the result', async () => {
      fakeBatchGet(stored.slice(0, 2));
      const items = await t.db.batchGetItems({ tableName: TABLE, keys: [...keys.slice(0, 2), { pk: 'user#1', sk: 'missing' }] });
      expect(sorted(items)).toEqual(stored.slice(0, 2));
    });

    it('passes consistency, projection and attribute names to every request', async () => {
      fakeBatchGet(stored);
      await t.db.batchGetItems({
        tableName: TABLE,
        keys: keys.slice(0, 150),
        consistentRead: true,
        projectionExpression: '#pk, #sk',
        expressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      });
      const inputs = documentMock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[TABLE]);
      expect(inputs).toHaveLength(2);
      for (const input of inputs) {
        expect(input).toMatchObject({ ConsistentRead: true, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' } });
      }
    });

    it('when given no table, reads from default_table_name', async () => {
      documentMock.on(BatchGetCommand).resolves({});
      await t.db.batchGetItems({ keys: keys.slice(0, 1) });
      expect(Object.keys(documentMock.commandCalls(BatchGetCommand)[0].args[0].input.RequestItems ?? {})).toEqual([DEFAULT_TABLE]);
    });

    it('when some keys come back unprocessed once, retries exactly those and resolves every item', async () => {
      fakeBatchGet(stored, (requested, call) => (call === 1 ? requested.slice(90) : []));
      const items = await t.db.batchGetItems({ tableName: TABLE, keys: keys.slice(0, 100), retry: fastRetry });
      expect(sorted(items)).toEqual(stored.slice(0, 100));
      expect(batchGetRequests()).toEqual([keys.slice(0, 100), keys.slice(90, 100)]);
    });

    it('when keys come back unprocessed on every attempt, throws batchIncomplete with exactly the unread keys and the items read', async () => {
      fakeBatchGet(stored, (requested) => requested.slice(-10));
      const error = await failureOf(() => t.db.batchGetItems({ tableName: TABLE, keys, concurrency: 1, retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      expect(details).toMatchObject({
        operation: 'batchGetItems',
        table: TABLE,
        reason: 'retryBudgetExhausted',
        requested_count: 250,
        unprocessed_count: 160,
      });
      expect(sorted(details.unprocessed_keys ?? [])).toEqual(keys.slice(90));
      expect(sorted(details.retrieved_items ?? [])).toEqual(stored.slice(0, 90));
      expect(batchGetRequests()).toHaveLength(3);
    });

    it('when every attempt is throttled, throws batchIncomplete with every key unread', async () => {
      documentMock.on(BatchGetCommand).rejects(throttled());
      const error = await failureOf(() => t.db.batchGetItems({ tableName: TABLE, keys: keys.slice(0, 10), retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      expect(details.reason).toBe('retryBudgetExhausted');
      expect(details.unprocessed_keys).toEqual(keys.slice(0, 10));
      expect(details.retrieved_items).toEqual([]);
    });
  });
});
