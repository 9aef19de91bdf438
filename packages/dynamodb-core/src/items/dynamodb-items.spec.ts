import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import {
  $metadata,
  clientMock,
  conditionFailed,
  configWithoutDefaultTable,
  connectionRefused,
  DEFAULT_TABLE,
  detailsOf,
  documentMock,
  failureOf,
  itemsUnderTest,
  keyOf,
  notFound,
  readings,
  TABLE,
  validationError,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBItems } from './dynamodb-items.ts';

describe(DynamoDBItems.name, () => {
  const t = itemsUnderTest();

  describe('.putItem', () => {
    const item = readings(1)[0];
    const putInput = () => documentMock.commandCalls(PutCommand)[0].args[0].input;

    it('when given a table, puts the item there without asking for the old item', async () => {
      documentMock.on(PutCommand).resolves({});
      await expect(t.db.putItem({ tableName: TABLE, item })).resolves.toBeUndefined();
      expect(putInput()).toMatchObject({ TableName: TABLE, Item: item });
      expect(putInput().ConditionExpression).toBeUndefined();
      expect(putInput().ReturnValuesOnConditionCheckFailure).toBeUndefined();
    });

    it('when given no table, uses default_table_name', async () => {
      documentMock.on(PutCommand).resolves({});
      await t.db.putItem({ item });
      expect(putInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(PutCommand).resolves({});
      await t.db.putItem({
        tableName: TABLE,
        item,
        condition: {
          conditionExpression: 'attribute_not_exists(#pk) OR #v < :v',
          expressionAttributeNames: { '#pk': 'pk', '#v': 'version' },
          expressionAttributeValues: { ':v': 3 },
        },
      });
      expect(putInput()).toEqual({
        TableName: TABLE,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #v < :v',
        ExpressionAttributeNames: { '#pk': 'pk', '#v': 'version' },
        ExpressionAttributeValues: { ':v': 3 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });

    it('when the condition fails, rejects with dynamodb.conditionFailed carrying the existing item unmarshalled', async () => {
      documentMock.on(PutCommand).rejects(conditionFailed({ pk: { S: 'user#1' }, sk: { S: 'reading#0000' }, version: { N: '4' } }));
      const error = await failureOf(() => t.db.putItem({ tableName: TABLE, item, condition: { conditionExpression: 'attribute_not_exists(pk)' } }));
      expect(detailsOf(error, 'dynamodb.conditionFailed')).toMatchObject({
        operation: 'putItem',
        table: TABLE,
        existing_item: { pk: 'user#1', sk: 'reading#0000', version: 4 },
      });
      expect(error.cause).toBeInstanceOf(ConditionalCheckFailedException);
    });

    it('when DynamoDB rejects the request, rejects with dynamodb.requestFailed', async () => {
      documentMock.on(PutCommand).rejects(validationError());
      const error = await failureOf(() => t.db.putItem({ tableName: TABLE, item }));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toEqual({ operation: 'putItem', table: TABLE, aws_error: 'ValidationException' });
    });

    it('when the connection is refused, rejects with dynamodb.unavailable', async () => {
      documentMock.on(PutCommand).rejects(connectionRefused());
      expect((await failureOf(() => t.db.putItem({ tableName: TABLE, item }))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.getItem', () => {
    const item = readings(1)[0];
    const getInput = () => documentMock.commandCalls(GetCommand)[0].args[0].input;

    it('when the item exists, sends its key to the table and resolves the item', async () => {
      documentMock.on(GetCommand).resolves({ Item: item });
      await expect(t.db.getItem({ tableName: TABLE, key: keyOf(item) })).resolves.toEqual(item);
      expect(getInput()).toMatchObject({ TableName: TABLE, Key: keyOf(item) });
    });

    it('when there is no such item, resolves undefined', async () => {
      documentMock.on(GetCommand).resolves({});
      await expect(t.db.getItem({ tableName: TABLE, key: keyOf(item) })).resolves.toBeUndefined();
    });

    it('when given no table, reads from default_table_name', async () => {
      documentMock.on(GetCommand).resolves({});
      await t.db.getItem({ key: keyOf(item) });
      expect(getInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given read options, passes consistency, projection and attribute names through', async () => {
      documentMock.on(GetCommand).resolves({ Item: { pk: 'user#1' } });
      await t.db.getItem({
        tableName: TABLE,
        key: keyOf(item),
        consistentRead: true,
        projectionExpression: '#pk, #g',
        expressionAttributeNames: { '#pk': 'pk', '#g': 'glucose_mmol_l' },
      });
      expect(getInput()).toEqual({
        TableName: TABLE,
        Key: keyOf(item),
        ConsistentRead: true,
        ProjectionExpression: '#pk, #g',
        ExpressionAttributeNames: { '#pk': 'pk', '#g': 'glucose_mmol_l' },
      });
    });

    it('when the table does not exist, rejects with dynamodb.requestFailed', async () => {
      documentMock.on(GetCommand).rejects(notFound());
      expect((await failureOf(() => t.db.getItem({ tableName: 'missing', key: keyOf(item) }))).code).toBe('dynamodb.requestFailed');
    });
  });

  describe('.updateItem', () => {
    const key = { pk: 'user#1', sk: 'reading#0000' };
    const updateInput = () => documentMock.commandCalls(UpdateCommand)[0].args[0].input;

    it('when it succeeds, sends the expression with ReturnValues ALL_NEW and resolves the new attributes', async () => {
      documentMock.on(UpdateCommand).resolves({ Attributes: { ...key, glucose_mmol_l: 6.1 } });
      const result = await t.db.updateItem({
        tableName: TABLE,
        key,
        update: { updateExpression: 'SET #g = :g', expressionAttributeNames: { '#g': 'glucose_mmol_l' }, expressionAttributeValues: { ':g': 6.1 } },
      });
      expect(result).toEqual({ ...key, glucose_mmol_l: 6.1 });
      expect(updateInput()).toMatchObject({
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET #g = :g',
        ExpressionAttributeNames: { '#g': 'glucose_mmol_l' },
        ExpressionAttributeValues: { ':g': 6.1 },
        ReturnValues: 'ALL_NEW',
      });
      expect(updateInput().ConditionExpression).toBeUndefined();
      expect(updateInput().ReturnValuesOnConditionCheckFailure).toBeUndefined();
    });

    it('when given no table, updates in default_table_name', async () => {
      documentMock.on(UpdateCommand).resolves({ Attributes: key });
      await t.db.updateItem({ key, update: { updateExpression: 'REMOVE note' } });
      expect(updateInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(UpdateCommand).resolves({ Attributes: key });
      await t.db.updateItem({
        tableName: TABLE,
        key,
        update: { updateExpression: 'SET version = :next', conditionExpression: 'version = :current', expressionAttributeValues: { ':next': 2, ':current': 1 } },
      });
      expect(updateInput()).toMatchObject({ ConditionExpression: 'version = :current', ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    });

    it('when the condition fails, rejects with dynamodb.conditionFailed carrying the key and the existing item', async () => {
      documentMock.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'user#1' }, sk: { S: 'reading#0000' }, version: { N: '5' } }));
      const error = await failureOf(() =>
        t.db.updateItem({ tableName: TABLE, key, update: { updateExpression: 'SET version = :next', conditionExpression: 'version = :current' } }),
      );
      expect(detailsOf(error, 'dynamodb.conditionFailed')).toEqual({
        operation: 'updateItem',
        table: TABLE,
        key,
        existing_item: { ...key, version: 5 },
      });
    });

    it('when DynamoDB answers without attributes, resolves an empty object', async () => {
      documentMock.on(UpdateCommand).resolves({});
      await expect(t.db.updateItem({ tableName: TABLE, key, update: { updateExpression: 'REMOVE note' } })).resolves.toEqual({});
    });
  });

  describe('.deleteItem', () => {
    const key = { pk: 'user#1', sk: 'reading#0000' };
    const deleteInput = () => documentMock.commandCalls(DeleteCommand)[0].args[0].input;

    it('when the item existed, sends ReturnValues ALL_OLD and resolves the deleted item', async () => {
      documentMock.on(DeleteCommand).resolves({ Attributes: { ...key, glucose_mmol_l: 5 } });
      await expect(t.db.deleteItem({ tableName: TABLE, key })).resolves.toEqual({ ...key, glucose_mmol_l: 5 });
      expect(deleteInput()).toMatchObject({ TableName: TABLE, Key: key, ReturnValues: 'ALL_OLD' });
      expect(deleteInput().ReturnValuesOnConditionCheckFailure).toBeUndefined();
    });

    it('when there was no such item, resolves undefined', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await expect(t.db.deleteItem({ tableName: TABLE, key })).resolves.toBeUndefined();
    });

    it('when given no table, deletes from default_table_name', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await t.db.deleteItem({ key });
      expect(deleteInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await t.db.deleteItem({
        tableName: TABLE,
        key,
        condition: {
          conditionExpression: '#s = :s',
          expressionAttributeNames: { '#s': 'status' },
          expressionAttributeValues: { ':s': 'draft' },
        },
      });
      expect(deleteInput()).toEqual({
        TableName: TABLE,
        Key: key,
        ConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'draft' },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    });

    it('when the condition fails, rejects with dynamodb.conditionFailed carrying the key and the existing item', async () => {
      documentMock.on(DeleteCommand).rejects(conditionFailed({ pk: { S: 'user#1' }, sk: { S: 'reading#0000' }, status: { S: 'final' } }));
      const error = await failureOf(() => t.db.deleteItem({ tableName: TABLE, key, condition: { conditionExpression: '#s = :s' } }));
      expect(detailsOf(error, 'dynamodb.conditionFailed')).toMatchObject({ key, existing_item: { ...key, status: 'final' } });
    });
  });

  describe('when no table is given and the config has no default_table_name', () => {
    let noDefault: DynamoDBService;
    beforeEach(() => {
      noDefault = new DynamoDBService(t.log.logger, configWithoutDefaultTable);
    });
    afterEach(() => noDefault.close());

    const key = { pk: 'user#1', sk: 'reading#0000' };
    const operations: [string, (s: DynamoDBItems) => Promise<unknown>][] = [
      ['putItem', (s) => s.putItem({ item: { ...key } })],
      ['getItem', (s) => s.getItem({ key })],
      ['updateItem', (s) => s.updateItem({ key, update: { updateExpression: 'REMOVE note' } })],
      ['deleteItem', (s) => s.deleteItem({ key })],
      ['query', (s) => s.query({ keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } })],
      ['scan', (s) => s.scan()],
      ['batchWriteItems', (s) => s.batchWriteItems({ items: [{ ...key }] })],
      ['batchGetItems', (s) => s.batchGetItems({ keys: [key] })],
      ['transactWrite', (s) => s.transactWrite({ actions: [{ put: { item: { ...key } } }] })],
    ];

    it.each(operations)('%s throws dynamodb.noTable and sends no request', async (operation, run) => {
      const error = await failureOf(() => run(noDefault.items));
      expect(detailsOf(error, 'dynamodb.noTable')).toEqual({ operation });
      expect(documentMock.calls()).toHaveLength(0);
      expect(clientMock.calls()).toHaveLength(0);
    });

    it.each(operations)('%s reports it through the returned promise, not by throwing synchronously', async (_operation, run) => {
      let returned: Promise<unknown> | undefined;
      expect(() => {
        returned = run(noDefault.items);
      }).not.toThrow();
      await expect(returned).rejects.toMatchObject({ code: 'dynamodb.noTable' });
    });

    it('an explicit table name still works', async () => {
      documentMock.on(PutCommand).resolves({});
      await noDefault.items.putItem({ tableName: TABLE, item: { ...key } });
      expect(documentMock.commandCalls(PutCommand)[0].args[0].input.TableName).toBe(TABLE);
    });
  });

  describe('.transactWrite', () => {
    const transactInput = () => documentMock.commandCalls(TransactWriteCommand)[0].args[0].input;

    it('maps put, update, delete and conditionCheck to the SDK shape, falling back to default_table_name', async () => {
      documentMock.on(TransactWriteCommand).resolves({});
      await t.db.transactWrite({
        actions: [
          { put: { item: { pk: 'a', sk: '1' }, conditionExpression: 'attribute_not_exists(pk)' } },
          {
            update: {
              tableName: TABLE,
              key: { pk: 'b', sk: '1' },
              updateExpression: 'SET #n = #n + :one',
              expressionAttributeNames: { '#n': 'count' },
              expressionAttributeValues: { ':one': 1 },
            },
          },
          { delete: { tableName: TABLE, key: { pk: 'c', sk: '1' } } },
          { conditionCheck: { key: { pk: 'd', sk: '1' }, conditionExpression: 'attribute_exists(pk)' } },
        ],
        clientRequestToken: 'import-42',
      });
      expect(transactInput()).toEqual({
        ClientRequestToken: 'import-42',
        TransactItems: [
          {
            Put: {
              TableName: DEFAULT_TABLE,
              Item: { pk: 'a', sk: '1' },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: TABLE,
              Key: { pk: 'b', sk: '1' },
              UpdateExpression: 'SET #n = #n + :one',
              ExpressionAttributeNames: { '#n': 'count' },
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { Delete: { TableName: TABLE, Key: { pk: 'c', sk: '1' } } },
          {
            ConditionCheck: {
              TableName: DEFAULT_TABLE,
              Key: { pk: 'd', sk: '1' },
              ConditionExpression: 'attribute_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      });
      const [, update, remove] = transactInput().TransactItems ?? [];
      expect(update.Update).not.toHaveProperty('ReturnValuesOnConditionCheckFailure');
      expect(remove.Delete).not.toHaveProperty('ReturnValuesOnConditionCheckFailure');
    });

    it('when the transaction is cancelled, throws transactionCanceled with one reason per action and the existing item unmarshalled', async () => {
      documentMock.on(TransactWriteCommand).rejects(
        new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
          $metadata,
          CancellationReasons: [
            { Code: 'None' },
            { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'b' }, sk: { S: '1' }, count: { N: '9' } } },
            { Code: 'None' },
          ],
        }),
      );
      const error = await failureOf(() =>
        t.db.transactWrite({
          actions: [
            { put: { tableName: TABLE, item: { pk: 'a', sk: '1' } } },
            { update: { tableName: TABLE, key: { pk: 'b', sk: '1' }, updateExpression: 'SET #n = :n', conditionExpression: '#n < :n' } },
            { delete: { tableName: TABLE, key: { pk: 'c', sk: '1' } } },
          ],
        }),
      );
      const details = detailsOf(error, 'dynamodb.transactionCanceled');
      expect(details.operation).toBe('transactWrite');
      expect(details.reasons).toEqual([
        { index: 0, code: 'None' },
        { index: 1, code: 'ConditionalCheckFailed', message: 'The conditional request failed', item: { pk: 'b', sk: '1', count: 9 } },
        { index: 2, code: 'None' },
      ]);
      expect(error.message).toContain('item 1: ConditionalCheckFailed');
    });

    it('when DynamoDB is unreachable, rejects with dynamodb.unavailable', async () => {
      documentMock.on(TransactWriteCommand).rejects(connectionRefused());
      const error = await failureOf(() => t.db.transactWrite({ actions: [{ delete: { tableName: TABLE, key: { pk: 'a' } } }] }));
      expect(error.code).toBe('dynamodb.unavailable');
    });
  });
});
