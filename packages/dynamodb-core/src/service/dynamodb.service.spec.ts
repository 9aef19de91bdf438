import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ListTablesCommand,
  ProvisionedThroughputExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  TransactionCanceledException,
  type AttributeValue,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type BatchWriteCommandInput,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import { VitalsError, type VitalsErrorCode } from '../errors/vitals-error.ts';
import type { Logger } from '../logger/logger.ts';
import { DynamoDBService } from './dynamodb.service.ts';
import type { Item, Key } from './types.ts';

const TABLE = 'vitals-readings';
const DEFAULT_TABLE = 'vitals-default';
const SECRET = 'test-secret-never-logged';

const config: DynamoDBConfig = {
  region_name: 'us-east-1',
  // Nothing listens there: a request the mocks do not catch fails instead of reaching a real DynamoDB.
  endpoint_url: 'http://127.0.0.1:1',
  aws_access_key_id: 'test-key',
  aws_secret_access_key: SECRET,
  default_table_name: DEFAULT_TABLE,
  read_capacity_units: 7,
  write_capacity_units: 3,
};
const configWithoutDefaultTable: DynamoDBConfig = { ...config, default_table_name: undefined };

const clientMock = mockClient(DynamoDBClient);
const documentMock = mockClient(DynamoDBDocumentClient);

// ── fakes and fixtures ──────────────────────────────────────────────────

type Level = 'debug' | 'info' | 'warn' | 'error';
interface LogRecord {
  level: Level;
  fields: Record<string, unknown>;
  message?: string;
}

/** A pino-compatible logger that remembers every call; `child` returns itself. */
function recordingLogger(): { logger: Logger; records: LogRecord[]; at: (level: Level) => LogRecord[] } {
  const records: LogRecord[] = [];
  const method =
    (level: Level) =>
    (fields: object, message?: string): void => {
      records.push({ level, fields: { ...fields } as Record<string, unknown>, message });
    };
  const logger: Logger = {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: () => logger,
  };
  return { logger, records, at: (level) => records.filter((record) => record.level === level) };
}

const $metadata = {};
const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata, Item: item });
const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput was exceeded', $metadata });
const validationError = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'One or more parameter values were invalid',
  });
const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
const timedOut = () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata });

/** `count` readings of one user, sort keys in order. */
function readings(count: number, from = 0): Item[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return { pk: 'user#1', sk: `reading#${String(index).padStart(4, '0')}`, glucose_mmol_l: 5 + index / 10 };
  });
}

const keyOf = (item: Item): Key => ({ pk: item.pk, sk: item.sk });
const bySortKey = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.sk).localeCompare(String(b.sk));
const sorted = <T extends Record<string, unknown>>(values: readonly T[]): T[] => [...values].sort(bySortKey);

/** The error `run` throws or rejects with (either way); fails the test when it succeeds or throws something else. */
async function failureOf(run: () => Promise<unknown>): Promise<VitalsError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof VitalsError) return error;
    throw error;
  }
  throw new Error('expected the operation to fail');
}

/** Details of a VitalsError known to carry `code`; fails the test otherwise. */
function detailsOf<C extends VitalsErrorCode>(error: VitalsError, code: C): VitalsError<C>['details'] {
  expect(error.code).toBe(code);
  return (error as VitalsError<C>).details;
}

/**
 * A fake DynamoDB page source over `rows` for Query and Scan: honours `Limit`
 * and `ExclusiveStartKey`, and never returns more than `pageCap` items (as the
 * 1 MB page limit would).
 */
function pagesOver(rows: Item[], pageCap: number) {
  return (input: { Limit?: number; ExclusiveStartKey?: Record<string, unknown> }) => {
    const start = input.ExclusiveStartKey ? rows.findIndex((row) => row.sk === input.ExclusiveStartKey?.sk) + 1 : 0;
    const items = rows.slice(start, start + Math.min(pageCap, input.Limit ?? pageCap));
    const end = start + items.length;
    return { Items: items, LastEvaluatedKey: end < rows.length ? keyOf(rows[end - 1]) : undefined };
  };
}

/**
 * A fake BatchWriteItem: `leaveUnprocessed` picks, per call, which requested
 * items DynamoDB hands back (or throws to fail the request). Returns the list
 * of items it accepted.
 */
function fakeBatchWrite(leaveUnprocessed: (requested: Item[], call: number) => Item[] = () => []): Item[] {
  const accepted: Item[] = [];
  let calls = 0;
  documentMock.on(BatchWriteCommand).callsFake(async (input: BatchWriteCommandInput) => {
    const requested = (input.RequestItems?.[TABLE] ?? []).map((request) => request.PutRequest?.Item as Item);
    const unprocessed = leaveUnprocessed(requested, ++calls);
    accepted.push(...requested.filter((item) => !unprocessed.includes(item)));
    return {
      UnprocessedItems: unprocessed.length > 0 ? { [TABLE]: unprocessed.map((item) => ({ PutRequest: { Item: item } })) } : {},
    };
  });
  return accepted;
}

/** The items of each BatchWrite request, in order. */
function batchWriteRequests(table = TABLE): Item[][] {
  return documentMock
    .commandCalls(BatchWriteCommand)
    .map((call) => (call.args[0].input.RequestItems?.[table] ?? []).map((request) => request.PutRequest?.Item as Item));
}

/**
 * A fake BatchGetItem over `stored`: `leaveUnprocessed` picks, per call, which
 * requested keys DynamoDB hands back unread.
 */
function fakeBatchGet(stored: Item[], leaveUnprocessed: (requested: Key[], call: number) => Key[] = () => []): void {
  let calls = 0;
  documentMock.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => {
    const requested = (input.RequestItems?.[TABLE]?.Keys ?? []) as Key[];
    const unprocessed = leaveUnprocessed(requested, ++calls);
    const read = requested.filter((key) => !unprocessed.includes(key));
    return {
      Responses: { [TABLE]: stored.filter((item) => read.some((key) => key.sk === item.sk)) },
      UnprocessedKeys: unprocessed.length > 0 ? { [TABLE]: { Keys: unprocessed } } : {},
    };
  });
}

function batchGetRequests(): Key[][] {
  return documentMock.commandCalls(BatchGetCommand).map((call) => (call.args[0].input.RequestItems?.[TABLE]?.Keys ?? []) as Key[]);
}

const fastRetry = { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 };

// ── the tests ────────────────────────────────────────────────────────────

describe(DynamoDBService.name, () => {
  let log: ReturnType<typeof recordingLogger>;
  let service: DynamoDBService;

  beforeEach(() => {
    clientMock.reset();
    documentMock.reset();
    log = recordingLogger();
    service = new DynamoDBService(log.logger, config);
  });

  afterEach(() => {
    jest.useRealTimers();
    service.close();
  });

  describe('constructor', () => {
    it('when no logger is given, throws a TypeError', () => {
      expect(() => new DynamoDBService(undefined as unknown as Logger, config)).toThrow(TypeError);
    });

    it('when the config is invalid, throws config.invalid naming every bad field', () => {
      let thrown: unknown;
      try {
        new DynamoDBService(log.logger, { ...config, region_name: 'moon', write_capacity_units: 0 });
      } catch (error) {
        thrown = error;
      }
      expect(VitalsError.is(thrown, 'config.invalid')).toBe(true);
      const paths = (thrown as VitalsError<'config.invalid'>).details.issues.map((issue) => issue.path);
      expect(paths.sort()).toEqual(['region_name', 'write_capacity_units']);
    });

    it('when the config leaves capacity units out, applies the defaults', () => {
      const minimal = new DynamoDBService(log.logger, { region_name: 'us-east-1' } as DynamoDBConfig);
      try {
        expect(minimal.config).toMatchObject({ read_capacity_units: 5, write_capacity_units: 5 });
      } finally {
        minimal.close();
      }
    });

    it('logs the region and endpoint it connects to, never the credentials', () => {
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({ fields: { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' } }),
      );
      expect(JSON.stringify(log.records)).not.toContain(SECRET);
    });
  });

  // ── connection and tables ─────────────────────────────────────────────

  describe('.ping', () => {
    it('when DynamoDB answers, sends one ListTables of Limit 1 and resolves with its latency', async () => {
      clientMock.on(ListTablesCommand).resolves({ TableNames: [TABLE] });
      const result = await service.ping();
      expect(result.latency_ms).toBeGreaterThanOrEqual(0);
      expect(clientMock.commandCalls(ListTablesCommand).map((call) => call.args[0].input)).toEqual([{ Limit: 1 }]);
    });

    it('when the connection is refused, rejects with dynamodb.unavailable', async () => {
      clientMock.on(ListTablesCommand).rejects(connectionRefused());
      const error = await failureOf(() => service.ping());
      expect(error.code).toBe('dynamodb.unavailable');
      expect(error.message).toContain('ECONNREFUSED');
    });
  });

  describe('.tableExists', () => {
    it('when DescribeTable finds the table, resolves true', async () => {
      clientMock.on(DescribeTableCommand, { TableName: TABLE }).resolves({ Table: { TableName: TABLE, TableStatus: 'ACTIVE' } });
      await expect(service.tableExists(TABLE)).resolves.toBe(true);
    });

    it('when DescribeTable says ResourceNotFoundException, resolves false', async () => {
      clientMock.on(DescribeTableCommand).rejects(notFound());
      await expect(service.tableExists('missing')).resolves.toBe(false);
    });

    it('when DescribeTable fails otherwise, rejects with a VitalsError rather than answering', async () => {
      clientMock.on(DescribeTableCommand).rejects(validationError());
      const error = await failureOf(() => service.tableExists(TABLE));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ operation: 'tableExists', table: TABLE });
    });

    it('when DynamoDB is unreachable, rejects with dynamodb.unavailable', async () => {
      clientMock.on(DescribeTableCommand).rejects(timedOut());
      expect((await failureOf(() => service.tableExists(TABLE))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.listTables', () => {
    it('when the names span several pages, follows LastEvaluatedTableName and returns them all', async () => {
      clientMock
        .on(ListTablesCommand)
        .resolvesOnce({ TableNames: ['a', 'b'], LastEvaluatedTableName: 'b' })
        .resolvesOnce({ TableNames: ['c', 'd'], LastEvaluatedTableName: 'd' })
        .resolvesOnce({ TableNames: ['e'] });
      await expect(service.listTables()).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(clientMock.commandCalls(ListTablesCommand).map((call) => call.args[0].input.ExclusiveStartTableName)).toEqual([
        undefined,
        'b',
        'd',
      ]);
    });

    it('when there are no tables, resolves an empty list', async () => {
      clientMock.on(ListTablesCommand).resolves({});
      await expect(service.listTables()).resolves.toEqual([]);
    });

    it('when a page fails, rejects with a VitalsError', async () => {
      clientMock.on(ListTablesCommand).resolvesOnce({ TableNames: ['a'], LastEvaluatedTableName: 'a' }).rejects(connectionRefused());
      expect((await failureOf(() => service.listTables())).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.createTable', () => {
    const params = {
      tableName: TABLE,
      keySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
        { AttributeName: 'gsi1pk', AttributeType: 'S' as const },
      ],
      globalSecondaryIndexes: [
        { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } },
        { IndexName: 'gsi2', KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } },
      ],
    };
    const active: TableDescription = {
      TableName: TABLE,
      TableStatus: 'ACTIVE',
      GlobalSecondaryIndexes: [
        { IndexName: 'gsi1', IndexStatus: 'ACTIVE' },
        { IndexName: 'gsi2', IndexStatus: 'ACTIVE' },
      ],
    };
    const createInput = () => clientMock.commandCalls(CreateTableCommand)[0].args[0].input;

    it('when no billing mode is given, creates a PAY_PER_REQUEST table with no provisioned throughput anywhere', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: active });
      await expect(service.createTable(params)).resolves.toEqual(active);
      const input = createInput();
      expect(input).toMatchObject({
        TableName: TABLE,
        KeySchema: params.keySchema,
        AttributeDefinitions: params.attributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
      });
      expect(input.ProvisionedThroughput).toBeUndefined();
      expect(input.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1', 'gsi2']);
      for (const index of input.GlobalSecondaryIndexes ?? []) expect(index.ProvisionedThroughput).toBeUndefined();
    });

    it('when billing is PROVISIONED, uses the configured capacity units on the table and on every index', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: active });
      await service.createTable({ ...params, billingMode: 'PROVISIONED' });
      const input = createInput();
      const throughput = { ReadCapacityUnits: 7, WriteCapacityUnits: 3 };
      expect(input.BillingMode).toBe('PROVISIONED');
      expect(input.ProvisionedThroughput).toEqual(throughput);
      expect(input.GlobalSecondaryIndexes).toHaveLength(2);
      for (const index of input.GlobalSecondaryIndexes ?? []) expect(index.ProvisionedThroughput).toEqual(throughput);
    });

    it('when the table is still CREATING, resolves only once DescribeTable says ACTIVE', async () => {
      jest.useFakeTimers();
      clientMock.on(CreateTableCommand).resolves({});
      clientMock
        .on(DescribeTableCommand)
        .resolvesOnce({ Table: { ...active, TableStatus: 'CREATING' } })
        .resolves({ Table: active });
      const settled = jest.fn();
      const creating = service.createTable(params);
      creating.then(settled, settled);

      await jest.advanceTimersByTimeAsync(100);
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(1);
      expect(settled).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(1_000);
      await expect(creating).resolves.toEqual(active);
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(2);
    });

    it('when the table is ACTIVE but an index is still CREATING, keeps waiting for the index', async () => {
      jest.useFakeTimers();
      clientMock.on(CreateTableCommand).resolves({});
      const indexCreating = {
        ...active,
        GlobalSecondaryIndexes: [{ IndexName: 'gsi1', IndexStatus: 'CREATING' as const }, { IndexName: 'gsi2', IndexStatus: 'ACTIVE' as const }],
      };
      clientMock.on(DescribeTableCommand).resolvesOnce({ Table: indexCreating }).resolves({ Table: active });
      const settled = jest.fn();
      const creating = service.createTable(params);
      creating.then(settled, settled);

      await jest.advanceTimersByTimeAsync(100);
      expect(settled).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1_000);
      await expect(creating).resolves.toEqual(active);
    });

    it('when the table does not become ACTIVE within maxWaitSeconds, rejects saying so', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: { ...active, TableStatus: 'CREATING' } });
      const error = await failureOf(() => service.createTable({ ...params, maxWaitSeconds: 0 }));
      expect(error.message).toContain(`table ${TABLE} was not ACTIVE within 0 s (status CREATING)`);
    });

    it('when the table already exists, rejects with dynamodb.requestFailed and does not wait', async () => {
      clientMock.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'Table already exists', $metadata }));
      const error = await failureOf(() => service.createTable(params));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ table: TABLE, aws_error: 'ResourceInUseException' });
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(0);
    });

    it('logs the billing mode and, when done, the status and index count', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: active });
      await service.createTable(params);
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({
          fields: expect.objectContaining({ operation: 'createTable', table: TABLE, billing_mode: 'PAY_PER_REQUEST', status: 'ACTIVE', indexes: 2 }),
        }),
      );
    });
  });

  describe('.deleteTable', () => {
    it('when the table is still DELETING, resolves only once DescribeTable says ResourceNotFoundException', async () => {
      jest.useFakeTimers();
      clientMock.on(DeleteTableCommand).resolves({});
      clientMock
        .on(DescribeTableCommand)
        .resolvesOnce({ Table: { TableName: TABLE, TableStatus: 'DELETING' } })
        .rejects(notFound());
      const settled = jest.fn();
      const deleting = service.deleteTable(TABLE);
      deleting.then(settled, settled);

      await jest.advanceTimersByTimeAsync(100);
      expect(clientMock.commandCalls(DeleteTableCommand).map((call) => call.args[0].input)).toEqual([{ TableName: TABLE }]);
      expect(settled).not.toHaveBeenCalled();

      await jest.advanceTimersByTimeAsync(1_000);
      await expect(deleting).resolves.toBeUndefined();
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(2);
    });

    it('when the table is never gone within maxWaitSeconds, rejects saying so', async () => {
      clientMock.on(DeleteTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: { TableName: TABLE, TableStatus: 'DELETING' } });
      const error = await failureOf(() => service.deleteTable(TABLE, 0));
      expect(error.message).toContain(`table ${TABLE} was not deleted within 0 s`);
    });

    it('when the table does not exist, rejects with dynamodb.requestFailed', async () => {
      clientMock.on(DeleteTableCommand).rejects(notFound());
      const error = await failureOf(() => service.deleteTable('missing'));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ aws_error: 'ResourceNotFoundException' });
    });
  });

  // ── items ─────────────────────────────────────────────────────────────

  describe('.putItem', () => {
    const item = readings(1)[0];
    const putInput = () => documentMock.commandCalls(PutCommand)[0].args[0].input;

    it('when given a table, puts the item there without asking for the old item', async () => {
      documentMock.on(PutCommand).resolves({});
      await expect(service.putItem(item, TABLE)).resolves.toBeUndefined();
      expect(putInput()).toMatchObject({ TableName: TABLE, Item: item });
      expect(putInput().ConditionExpression).toBeUndefined();
      expect(putInput().ReturnValuesOnConditionCheckFailure).toBeUndefined();
    });

    it('when given no table, uses default_table_name', async () => {
      documentMock.on(PutCommand).resolves({});
      await service.putItem(item);
      expect(putInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(PutCommand).resolves({});
      await service.putItem(item, TABLE, {
        conditionExpression: 'attribute_not_exists(#pk) OR #v < :v',
        expressionAttributeNames: { '#pk': 'pk', '#v': 'version' },
        expressionAttributeValues: { ':v': 3 },
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
      const error = await failureOf(() => service.putItem(item, TABLE, { conditionExpression: 'attribute_not_exists(pk)' }));
      expect(detailsOf(error, 'dynamodb.conditionFailed')).toMatchObject({
        operation: 'putItem',
        table: TABLE,
        existing_item: { pk: 'user#1', sk: 'reading#0000', version: 4 },
      });
      expect(error.cause).toBeInstanceOf(ConditionalCheckFailedException);
    });

    it('when DynamoDB rejects the request, rejects with dynamodb.requestFailed', async () => {
      documentMock.on(PutCommand).rejects(validationError());
      const error = await failureOf(() => service.putItem(item, TABLE));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toEqual({ operation: 'putItem', table: TABLE, aws_error: 'ValidationException' });
    });

    it('when the connection is refused, rejects with dynamodb.unavailable', async () => {
      documentMock.on(PutCommand).rejects(connectionRefused());
      expect((await failureOf(() => service.putItem(item, TABLE))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.getItem', () => {
    const item = readings(1)[0];
    const getInput = () => documentMock.commandCalls(GetCommand)[0].args[0].input;

    it('when the item exists, sends its key to the table and resolves the item', async () => {
      documentMock.on(GetCommand).resolves({ Item: item });
      await expect(service.getItem(keyOf(item), TABLE)).resolves.toEqual(item);
      expect(getInput()).toMatchObject({ TableName: TABLE, Key: keyOf(item) });
    });

    it('when there is no such item, resolves undefined', async () => {
      documentMock.on(GetCommand).resolves({});
      await expect(service.getItem(keyOf(item), TABLE)).resolves.toBeUndefined();
    });

    it('when given no table, reads from default_table_name', async () => {
      documentMock.on(GetCommand).resolves({});
      await service.getItem(keyOf(item));
      expect(getInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given read options, passes consistency, projection and attribute names through', async () => {
      documentMock.on(GetCommand).resolves({ Item: { pk: 'user#1' } });
      await service.getItem(keyOf(item), TABLE, {
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
      expect((await failureOf(() => service.getItem(keyOf(item), 'missing'))).code).toBe('dynamodb.requestFailed');
    });
  });

  describe('.updateItem', () => {
    const key = { pk: 'user#1', sk: 'reading#0000' };
    const updateInput = () => documentMock.commandCalls(UpdateCommand)[0].args[0].input;

    it('when it succeeds, sends the expression with ReturnValues ALL_NEW and resolves the new attributes', async () => {
      documentMock.on(UpdateCommand).resolves({ Attributes: { ...key, glucose_mmol_l: 6.1 } });
      const result = await service.updateItem(
        key,
        { updateExpression: 'SET #g = :g', expressionAttributeNames: { '#g': 'glucose_mmol_l' }, expressionAttributeValues: { ':g': 6.1 } },
        TABLE,
      );
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
      await service.updateItem(key, { updateExpression: 'REMOVE note' });
      expect(updateInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(UpdateCommand).resolves({ Attributes: key });
      await service.updateItem(key, { updateExpression: 'SET version = :next', conditionExpression: 'version = :current', expressionAttributeValues: { ':next': 2, ':current': 1 } }, TABLE);
      expect(updateInput()).toMatchObject({ ConditionExpression: 'version = :current', ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    });

    it('when the condition fails, rejects with dynamodb.conditionFailed carrying the key and the existing item', async () => {
      documentMock.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'user#1' }, sk: { S: 'reading#0000' }, version: { N: '5' } }));
      const error = await failureOf(() =>
        service.updateItem(key, { updateExpression: 'SET version = :next', conditionExpression: 'version = :current' }, TABLE),
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
      await expect(service.updateItem(key, { updateExpression: 'REMOVE note' }, TABLE)).resolves.toEqual({});
    });
  });

  describe('.deleteItem', () => {
    const key = { pk: 'user#1', sk: 'reading#0000' };
    const deleteInput = () => documentMock.commandCalls(DeleteCommand)[0].args[0].input;

    it('when the item existed, sends ReturnValues ALL_OLD and resolves the deleted item', async () => {
      documentMock.on(DeleteCommand).resolves({ Attributes: { ...key, glucose_mmol_l: 5 } });
      await expect(service.deleteItem(key, TABLE)).resolves.toEqual({ ...key, glucose_mmol_l: 5 });
      expect(deleteInput()).toMatchObject({ TableName: TABLE, Key: key, ReturnValues: 'ALL_OLD' });
      expect(deleteInput().ReturnValuesOnConditionCheckFailure).toBeUndefined();
    });

    it('when there was no such item, resolves undefined', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await expect(service.deleteItem(key, TABLE)).resolves.toBeUndefined();
    });

    it('when given no table, deletes from default_table_name', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await service.deleteItem(key);
      expect(deleteInput().TableName).toBe(DEFAULT_TABLE);
    });

    it('when given a condition, sends it and asks for the existing item should it fail', async () => {
      documentMock.on(DeleteCommand).resolves({});
      await service.deleteItem(key, TABLE, {
        conditionExpression: '#s = :s',
        expressionAttributeNames: { '#s': 'status' },
        expressionAttributeValues: { ':s': 'draft' },
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
      const error = await failureOf(() => service.deleteItem(key, TABLE, { conditionExpression: '#s = :s' }));
      expect(detailsOf(error, 'dynamodb.conditionFailed')).toMatchObject({ key, existing_item: { ...key, status: 'final' } });
    });
  });

  describe('when no table is given and the config has no default_table_name', () => {
    let noDefault: DynamoDBService;
    beforeEach(() => {
      noDefault = new DynamoDBService(log.logger, configWithoutDefaultTable);
    });
    afterEach(() => noDefault.close());

    const key = { pk: 'user#1', sk: 'reading#0000' };
    const operations: [string, (s: DynamoDBService) => Promise<unknown>][] = [
      ['putItem', (s) => s.putItem({ ...key })],
      ['getItem', (s) => s.getItem(key)],
      ['updateItem', (s) => s.updateItem(key, { updateExpression: 'REMOVE note' })],
      ['deleteItem', (s) => s.deleteItem(key)],
      ['query', (s) => s.query({ keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } })],
      ['scan', (s) => s.scan()],
      ['batchWriteItems', (s) => s.batchWriteItems([{ ...key }])],
      ['batchGetItems', (s) => s.batchGetItems([key])],
      ['transactWrite', (s) => s.transactWrite([{ put: { item: { ...key } } }])],
    ];

    it.each(operations)('%s throws dynamodb.noTable and sends no request', async (operation, run) => {
      const error = await failureOf(() => run(noDefault));
      expect(detailsOf(error, 'dynamodb.noTable')).toEqual({ operation });
      expect(documentMock.calls()).toHaveLength(0);
      expect(clientMock.calls()).toHaveLength(0);
    });

    it.each(operations)('%s reports it through the returned promise, not by throwing synchronously', async (_operation, run) => {
      let returned: Promise<unknown> | undefined;
      expect(() => {
        returned = run(noDefault);
      }).not.toThrow();
      await expect(returned).rejects.toMatchObject({ code: 'dynamodb.noTable' });
    });

    it('an explicit table name still works', async () => {
      documentMock.on(PutCommand).resolves({});
      await noDefault.putItem({ ...key }, TABLE);
      expect(documentMock.commandCalls(PutCommand)[0].args[0].input.TableName).toBe(TABLE);
    });
  });

  // ── query and scan ────────────────────────────────────────────────────

  describe('.query', () => {
    const rows = readings(10);
    const queryInputs = () => documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    const byUser = { keyConditionExpression: '#pk = :pk', expressionAttributeNames: { '#pk': 'pk' }, expressionAttributeValues: { ':pk': 'user#1' } };

    it('when limit is absent, follows every LastEvaluatedKey and returns every item', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(service.query({ ...byUser, tableName: TABLE })).resolves.toEqual(rows);
      expect(queryInputs().map((input) => input.ExclusiveStartKey)).toEqual([undefined, keyOf(rows[3]), keyOf(rows[7])]);
      expect(queryInputs().map((input) => input.Limit)).toEqual([undefined, undefined, undefined]);
    });

    it('when limit is 0, still returns every page', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(service.query({ ...byUser, tableName: TABLE, limit: 0 })).resolves.toHaveLength(10);
      expect(queryInputs()).toHaveLength(3);
    });

    it('when limit is N, returns exactly the first N items, asking each request for only the remainder', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(service.query({ ...byUser, tableName: TABLE, limit: 6 })).resolves.toEqual(rows.slice(0, 6));
      expect(queryInputs().map((input) => input.Limit)).toEqual([6, 2]);
    });

    it('when limit is reached on a page boundary, sends no further request', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      await expect(service.query({ ...byUser, tableName: TABLE, limit: 4 })).resolves.toEqual(rows.slice(0, 4));
      expect(queryInputs()).toHaveLength(1);
    });

    it('when a filter leaves pages short, keeps reading until limit items are found', async () => {
      documentMock
        .on(QueryCommand)
        .resolvesOnce({ Items: rows.slice(0, 1), LastEvaluatedKey: keyOf(rows[4]) })
        .resolvesOnce({ Items: rows.slice(5, 7), LastEvaluatedKey: keyOf(rows[8]) })
        .resolvesOnce({ Items: rows.slice(9, 10) });
      const items = await service.query({ ...byUser, tableName: TABLE, filterExpression: 'glucose_mmol_l > :g', limit: 3 });
      expect(items).toEqual([rows[0], rows[5], rows[6]]);
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 2]);
    });

    it('when pageSize is given, sends it as Limit, capped by what limit still needs', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 100));
      await expect(service.query({ ...byUser, tableName: TABLE, pageSize: 3 })).resolves.toHaveLength(10);
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 3, 3, 3]);

      documentMock.resetHistory();
      await expect(service.query({ ...byUser, tableName: TABLE, pageSize: 3, limit: 5 })).resolves.toEqual(rows.slice(0, 5));
      expect(queryInputs().map((input) => input.Limit)).toEqual([3, 2]);
    });

    it('passes the key condition, index, filter, projection, attribute names and values, order, consistency and start key through', async () => {
      documentMock.on(QueryCommand).resolves({ Items: [] });
      await service.query({
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
      await service.query(byUser);
      expect(queryInputs()[0].TableName).toBe(DEFAULT_TABLE);
    });

    it.each([
      ['the connection is refused', 'dynamodb.unavailable', connectionRefused],
      ['the request times out', 'dynamodb.unavailable', timedOut],
      ['DynamoDB throttles it', 'dynamodb.unavailable', throttled],
      ['the request is invalid', 'dynamodb.requestFailed', validationError],
    ])('when %s, rejects with %s', async (_label, code, makeError) => {
      documentMock.on(QueryCommand).rejects(makeError());
      const error = await failureOf(() => service.query({ ...byUser, tableName: TABLE }));
      expect(error.code).toBe(code);
      expect(error.details).toMatchObject({ operation: 'query', table: TABLE });
    });

    it('when a later page fails, rejects rather than returning the partial result', async () => {
      documentMock.on(QueryCommand).resolvesOnce({ Items: rows.slice(0, 4), LastEvaluatedKey: keyOf(rows[3]) }).rejects(connectionRefused());
      expect((await failureOf(() => service.query({ ...byUser, tableName: TABLE }))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.queryPages', () => {
    const rows = readings(10);
    const byUser = { tableName: TABLE, keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } };

    it('yields each response page with its lastEvaluatedKey, the last page without one', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      const pages = [];
      for await (const page of service.queryPages(byUser)) pages.push(page);
      expect(pages).toEqual([
        { items: rows.slice(0, 4), lastEvaluatedKey: keyOf(rows[3]) },
        { items: rows.slice(4, 8), lastEvaluatedKey: keyOf(rows[7]) },
        { items: rows.slice(8, 10), lastEvaluatedKey: undefined },
      ]);
    });

    it('when the consumer stops after one page, sends no further request', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      for await (const page of service.queryPages(byUser)) {
        expect(page.items).toHaveLength(4);
        break;
      }
      expect(documentMock.commandCalls(QueryCommand)).toHaveLength(1);
    });

    it('when resumed from a lastEvaluatedKey, continues after it', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(rows, 4));
      const first = await service.queryPages(byUser).next();
      const lastEvaluatedKey = first.done ? undefined : first.value.lastEvaluatedKey;
      await expect(service.query({ ...byUser, exclusiveStartKey: lastEvaluatedKey })).resolves.toEqual(rows.slice(4));
    });

    it('when a request fails, the iteration rejects with a VitalsError', async () => {
      documentMock.on(QueryCommand).rejects(validationError());
      const iterator = service.queryPages(byUser);
      const error = await failureOf(() => iterator.next());
      expect(error.code).toBe('dynamodb.requestFailed');
    });
  });

  describe('.scan', () => {
    const rows = readings(9);
    const scanInputs = () => documentMock.commandCalls(ScanCommand).map((call) => call.args[0].input);

    it('when called with no parameters, scans the whole default table following every page', async () => {
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 4));
      await expect(service.scan()).resolves.toEqual(rows);
      expect(scanInputs().map((input) => [input.TableName, input.ExclusiveStartKey])).toEqual([
        [DEFAULT_TABLE, undefined],
        [DEFAULT_TABLE, keyOf(rows[3])],
        [DEFAULT_TABLE, keyOf(rows[7])],
      ]);
    });

    it('when limit is N, returns exactly N items and sends Limit as the remainder', async () => {
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 4));
      await expect(service.scan({ tableName: TABLE, limit: 7 })).resolves.toEqual(rows.slice(0, 7));
      expect(scanInputs().map((input) => input.Limit)).toEqual([7, 3]);
    });

    it('passes filter, attribute names and values, index and segment through', async () => {
      documentMock.on(ScanCommand).resolves({ Items: [] });
      await service.scan({
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
      const error = await failureOf(() => service.scan({ tableName: TABLE }));
      expect(error.code).toBe(code);
      expect(error.details).toMatchObject({ operation: 'scan', table: TABLE });
    });
  });

  describe('.scanPages', () => {
    it('yields each page with its lastEvaluatedKey', async () => {
      const rows = readings(5);
      documentMock.on(ScanCommand).callsFake(pagesOver(rows, 2));
      const pages = [];
      for await (const page of service.scanPages({ tableName: TABLE })) pages.push(page);
      expect(pages).toEqual([
        { items: rows.slice(0, 2), lastEvaluatedKey: keyOf(rows[1]) },
        { items: rows.slice(2, 4), lastEvaluatedKey: keyOf(rows[3]) },
        { items: rows.slice(4), lastEvaluatedKey: undefined },
      ]);
    });
  });

  // ── batches ───────────────────────────────────────────────────────────

  describe('.batchWriteItems', () => {
    it('when given 60 items, sends 3 BatchWrite requests of 25, 25 and 10, each item once', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite();
      await expect(service.batchWriteItems(items, TABLE, { retry: fastRetry })).resolves.toBeUndefined();
      const requests = batchWriteRequests();
      expect(requests.map((request) => request.length).sort((a, b) => b - a)).toEqual([25, 25, 10]);
      expect(sorted(requests.flat())).toEqual(items);
      expect(sorted(accepted)).toEqual(items);
    });

    it('when given no table, writes to default_table_name', async () => {
      documentMock.on(BatchWriteCommand).resolves({});
      await service.batchWriteItems(readings(2));
      expect(batchWriteRequests(DEFAULT_TABLE)).toEqual([readings(2)]);
    });

    it('when given no items, sends no request', async () => {
      documentMock.on(BatchWriteCommand).resolves({});
      await service.batchWriteItems([], TABLE);
      expect(documentMock.calls()).toHaveLength(0);
    });

    it('when some items come back unprocessed once, retries exactly those and writes everything', async () => {
      const items = readings(10);
      const accepted = fakeBatchWrite((requested, call) => (call === 1 ? [requested[3], requested[7]] : []));
      await service.batchWriteItems(items, TABLE, { retry: fastRetry });
      expect(batchWriteRequests()).toEqual([items, [items[3], items[7]]]);
      expect(sorted(accepted)).toEqual(items);
    });

    it('when items come back unprocessed on every attempt, throws batchIncomplete listing exactly the items never written', async () => {
      const items = readings(60);
      const accepted = fakeBatchWrite((requested) => requested.slice(-5));
      const error = await failureOf(() => service.batchWriteItems(items, TABLE, { concurrency: 1, retry: fastRetry }));
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
      const error = await failureOf(() => service.batchWriteItems(items, TABLE, { retry: fastRetry }));
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
      await service.batchWriteItems(items, TABLE, { concurrency: 1, retry: fastRetry });
      expect(sorted(accepted)).toEqual(items);
      expect(batchWriteRequests().map((request) => request.length)).toEqual([25, 25, 5]);
    });

    it('when every attempt is throttled, throws batchIncomplete (budget exhausted) with every item unwritten', async () => {
      const items = readings(60);
      documentMock.on(BatchWriteCommand).rejects(throttled());
      const error = await failureOf(() => service.batchWriteItems(items, TABLE, { concurrency: 1, retry: fastRetry }));
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
      const error = await failureOf(() => service.batchWriteItems(items, TABLE, { concurrency: 1, retry: fastRetry }));
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
      await service.batchWriteItems(readings(200), TABLE, { concurrency: 2, retry: fastRetry });
      expect(batchWriteRequests()).toHaveLength(8);
      expect(mostInFlight).toBe(2);
    });

    it('when the retry budget is below one attempt, throws before sending anything', async () => {
      await expect(service.batchWriteItems(readings(3), TABLE, { retry: { maxAttempts: 0 } })).rejects.toThrow(RangeError);
      expect(documentMock.calls()).toHaveLength(0);
    });
  });

  describe('.batchGetItems', () => {
    const stored = readings(250);
    const keys = stored.map(keyOf);

    it('when given 250 keys, sends 3 BatchGet requests of 100, 100 and 50 and resolves every item', async () => {
      fakeBatchGet(stored);
      const items = await service.batchGetItems(keys, TABLE, { retry: fastRetry });
      expect(sorted(items)).toEqual(stored);
      expect(batchGetRequests().map((request) => request.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
      expect(sorted(batchGetRequests().flat())).toEqual(keys);
    });

    it('when a key has no item, leaves it out of the result', async () => {
      fakeBatchGet(stored.slice(0, 2));
      const items = await service.batchGetItems([...keys.slice(0, 2), { pk: 'user#1', sk: 'missing' }], TABLE);
      expect(sorted(items)).toEqual(stored.slice(0, 2));
    });

    it('passes consistency, projection and attribute names to every request', async () => {
      fakeBatchGet(stored);
      await service.batchGetItems(keys.slice(0, 150), TABLE, {
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
      await service.batchGetItems(keys.slice(0, 1));
      expect(Object.keys(documentMock.commandCalls(BatchGetCommand)[0].args[0].input.RequestItems ?? {})).toEqual([DEFAULT_TABLE]);
    });

    it('when some keys come back unprocessed once, retries exactly those and resolves every item', async () => {
      fakeBatchGet(stored, (requested, call) => (call === 1 ? requested.slice(90) : []));
      const items = await service.batchGetItems(keys.slice(0, 100), TABLE, { retry: fastRetry });
      expect(sorted(items)).toEqual(stored.slice(0, 100));
      expect(batchGetRequests()).toEqual([keys.slice(0, 100), keys.slice(90, 100)]);
    });

    it('when keys come back unprocessed on every attempt, throws batchIncomplete with exactly the unread keys and the items read', async () => {
      fakeBatchGet(stored, (requested) => requested.slice(-10));
      const error = await failureOf(() => service.batchGetItems(keys, TABLE, { concurrency: 1, retry: fastRetry }));
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
      const error = await failureOf(() => service.batchGetItems(keys.slice(0, 10), TABLE, { retry: fastRetry }));
      const details = detailsOf(error, 'dynamodb.batchIncomplete');
      expect(details.reason).toBe('retryBudgetExhausted');
      expect(details.unprocessed_keys).toEqual(keys.slice(0, 10));
      expect(details.retrieved_items).toEqual([]);
    });
  });

  // ── transactions ──────────────────────────────────────────────────────

  describe('.transactWrite', () => {
    const transactInput = () => documentMock.commandCalls(TransactWriteCommand)[0].args[0].input;

    it('maps put, update, delete and conditionCheck to the SDK shape, falling back to default_table_name', async () => {
      documentMock.on(TransactWriteCommand).resolves({});
      await service.transactWrite(
        [
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
        { clientRequestToken: 'import-42' },
      );
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
        service.transactWrite([
          { put: { tableName: TABLE, item: { pk: 'a', sk: '1' } } },
          { update: { tableName: TABLE, key: { pk: 'b', sk: '1' }, updateExpression: 'SET #n = :n', conditionExpression: '#n < :n' } },
          { delete: { tableName: TABLE, key: { pk: 'c', sk: '1' } } },
        ]),
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
      const error = await failureOf(() => service.transactWrite([{ delete: { tableName: TABLE, key: { pk: 'a' } } }]));
      expect(error.code).toBe('dynamodb.unavailable');
    });
  });

  describe('.close', () => {
    it('releases both clients', () => {
      const closing = new DynamoDBService(log.logger, config);
      const destroyed = jest.spyOn(DynamoDBClient.prototype, 'destroy');
      const documentDestroyed = jest.spyOn(DynamoDBDocumentClient.prototype, 'destroy');
      try {
        closing.close();
        expect(destroyed).toHaveBeenCalledTimes(1);
        expect(documentDestroyed).toHaveBeenCalledTimes(1);
      } finally {
        destroyed.mockRestore();
        documentDestroyed.mockRestore();
      }
    });
  });

  // ── logging ───────────────────────────────────────────────────────────

  describe('logging', () => {
    const item = { pk: 'user#1', sk: 'reading#0000', glucose_mmol_l: 7.8, note: 'HEALTH-VALUE-9f3a' };

    it('when an operation succeeds, logs DEBUG at the start and INFO at the end with its duration', async () => {
      documentMock.on(PutCommand).resolves({});
      log.records.length = 0;
      await service.putItem(item, TABLE);
      expect(log.records.map((record) => [record.level, record.message])).toEqual([
        ['debug', 'putItem started'],
        ['info', 'putItem done'],
      ]);
      expect(log.records[0].fields).toEqual({ operation: 'putItem', table: TABLE });
      expect(log.records[1].fields).toEqual({ operation: 'putItem', table: TABLE, duration_ms: expect.any(Number) });
    });

    it('when batchWriteItems succeeds, logs INFO with the item count, requests and retries', async () => {
      fakeBatchWrite((requested, call) => (call === 1 ? requested.slice(0, 2) : []));
      await service.batchWriteItems(readings(30), TABLE, { concurrency: 1, retry: fastRetry });
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({
          message: 'batchWriteItems done',
          fields: expect.objectContaining({ operation: 'batchWriteItems', table: TABLE, count: 30, requests: 3, retries: 1 }),
        }),
      );
    });

    it('when batchGetItems succeeds, logs INFO with the key count and the items found', async () => {
      fakeBatchGet(readings(5));
      await service.batchGetItems([...readings(5).map(keyOf), { pk: 'user#1', sk: 'missing' }], TABLE);
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({ fields: expect.objectContaining({ operation: 'batchGetItems', count: 6, found: 5, requests: 1, retries: 0 }) }),
      );
    });

    it('when a query completes, logs INFO with the item and page counts', async () => {
      documentMock.on(QueryCommand).callsFake(pagesOver(readings(10), 4));
      await service.query({ tableName: TABLE, keyConditionExpression: 'pk = :pk', expressionAttributeValues: { ':pk': 'user#1' } });
      expect(log.at('debug')).toContainEqual(expect.objectContaining({ message: 'query started', fields: expect.objectContaining({ operation: 'query', table: TABLE }) }));
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({ message: 'query done', fields: expect.objectContaining({ operation: 'query', table: TABLE, count: 10, pages: 3 }) }),
      );
    });

    it('when an operation fails, logs ERROR with operation, table, code and AWS error name (not its message) before rethrowing', async () => {
      documentMock.on(PutCommand).rejects(validationError());
      const error = await failureOf(() => service.putItem(item, TABLE));
      expect(error.message).toContain('One or more parameter values were invalid');
      expect(log.at('error')).toEqual([
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
      expect(JSON.stringify(log.at('error'))).not.toContain('One or more parameter values were invalid');
      expect(log.at('info')).not.toContainEqual(expect.objectContaining({ message: 'putItem done' }));
    });

    it('when a query fails, logs ERROR with operation, table and code', async () => {
      documentMock.on(QueryCommand).rejects(connectionRefused());
      await failureOf(() => service.query({ tableName: TABLE, keyConditionExpression: 'pk = :pk' }));
      expect(log.at('error')).toContainEqual(
        expect.objectContaining({ fields: expect.objectContaining({ operation: 'query', table: TABLE, code: 'dynamodb.unavailable' }) }),
      );
    });

    it('when a conditional put fails, the logs never contain the item or the existing item', async () => {
      documentMock.on(PutCommand).rejects(conditionFailed(marshall({ ...item, note: 'EXISTING-VALUE-77c1' })));
      await failureOf(() => service.putItem(item, TABLE, { conditionExpression: 'attribute_not_exists(pk)' }));
      // An expected outcome of optimistic locking: INFO, not ERROR.
      expect(log.at('error')).toHaveLength(0);
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({
          message: 'putItem condition not met',
          fields: expect.objectContaining({ code: 'dynamodb.conditionFailed' }),
        }),
      );
      const logged = JSON.stringify(log.records);
      expect(logged).not.toContain('HEALTH-VALUE-9f3a');
      expect(logged).not.toContain('EXISTING-VALUE-77c1');
      expect(logged).not.toContain('7.8');
    });

    it('when an update fails, the logs never contain its key or values', async () => {
      documentMock.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'user#SECRET-ID' } }));
      await failureOf(() =>
        service.updateItem(
          { pk: 'user#SECRET-ID', sk: 'x' },
          { updateExpression: 'SET note = :n', conditionExpression: 'attribute_exists(pk)', expressionAttributeValues: { ':n': 'HEALTH-VALUE-9f3a' } },
          TABLE,
        ),
      );
      const logged = JSON.stringify(log.records);
      expect(logged).not.toContain('SECRET-ID');
      expect(logged).not.toContain('HEALTH-VALUE-9f3a');
    });

    it('when a batch write runs out of budget, the ERROR log names the code but no item value', async () => {
      const items = readings(3).map((reading, index) => ({ ...reading, note: `HEALTH-VALUE-${index}` }));
      documentMock.on(BatchWriteCommand).rejects(throttled());
      await failureOf(() => service.batchWriteItems(items, TABLE, { retry: fastRetry }));
      expect(log.at('error')).toContainEqual(
        expect.objectContaining({
          fields: expect.objectContaining({ operation: 'batchWriteItems', table: TABLE, code: 'dynamodb.batchIncomplete' }),
        }),
      );
      expect(JSON.stringify(log.records)).not.toContain('HEALTH-VALUE');
    });

    it('when the document client cannot marshal an item value, the ERROR log does not quote that value', async () => {
      // What DynamoDBDocumentClient does before sending: marshal the item with the service's options.
      // Its errors quote the offending value ("Unsupported type passed: <value>").
      documentMock.on(PutCommand).callsFake((input: PutCommandInput) => {
        marshall(input.Item ?? {}, { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false });
        return {};
      });
      const measuredAt = new Date('2025-05-23T13:00:00.000Z');
      const error = await failureOf(() => service.putItem({ pk: 'user#1', sk: 'reading#0001', measured_at: measuredAt }, TABLE));
      expect(error.code).toBe('dynamodb.requestFailed');
      expect(log.at('error')).toHaveLength(1);
      expect(JSON.stringify(log.records)).not.toContain(String(measuredAt));
    });
  });
});
