import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import {
  $metadata,
  TABLE,
  clientMock,
  config,
  connectionRefused,
  detailsOf,
  documentMock,
  failureOf,
  notFound,
  recordingLogger,
  timedOut,
  validationError,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBTables } from './dynamodb-tables.ts';

describe(DynamoDBTables.name, () => {
  let log: ReturnType<typeof recordingLogger>;
  let service: DynamoDBService;
  let tables: DynamoDBTables;

  beforeEach(() => {
    clientMock.reset();
    documentMock.reset();
    log = recordingLogger();
    service = new DynamoDBService(log.logger, config);
    tables = service.tables;
  });

  afterEach(() => {
    jest.useRealTimers();
    service.close();
  });

  describe('.tableExists', () => {
    it('when DescribeTable finds the table, resolves true', async () => {
      clientMock.on(DescribeTableCommand, { TableName: TABLE }).resolves({ Table: { TableName: TABLE, TableStatus: 'ACTIVE' } });
      await expect(tables.tableExists({ tableName: TABLE })).resolves.toBe(true);
    });

    it('when DescribeTable says ResourceNotFoundException, resolves false', async () => {
      clientMock.on(DescribeTableCommand).rejects(notFound());
      await expect(tables.tableExists({ tableName: 'missing' })).resolves.toBe(false);
    });

    it('when DescribeTable fails otherwise, rejects with a VitalsError rather than answering', async () => {
      clientMock.on(DescribeTableCommand).rejects(validationError());
      const error = await failureOf(() => tables.tableExists({ tableName: TABLE }));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ operation: 'tableExists', table: TABLE });
    });

    it('when DynamoDB is unreachable, rejects with dynamodb.unavailable', async () => {
      clientMock.on(DescribeTableCommand).rejects(timedOut());
      expect((await failureOf(() => tables.tableExists({ tableName: TABLE }))).code).toBe('dynamodb.unavailable');
    });
  });

  describe('.listTables', () => {
    it('when the names span several pages, follows LastEvaluatedTableName and returns them all', async () => {
      clientMock
        .on(ListTablesCommand)
        .resolvesOnce({ TableNames: ['a', 'b'], LastEvaluatedTableName: 'b' })
        .resolvesOnce({ TableNames: ['c', 'd'], LastEvaluatedTableName: 'd' })
        .resolvesOnce({ TableNames: ['e'] });
      await expect(tables.listTables()).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(clientMock.commandCalls(ListTablesCommand).map((call) => call.args[0].input.ExclusiveStartTableName)).toEqual([
        undefined,
        'b',
        'd',
      ]);
    });

    it('when there are no tables, resolves an empty list', async () => {
      clientMock.on(ListTablesCommand).resolves({});
      await expect(tables.listTables()).resolves.toEqual([]);
    });

    it('when a page fails, rejects with a VitalsError', async () => {
      clientMock.on(ListTablesCommand).resolvesOnce({ TableNames: ['a'], LastEvaluatedTableName: 'a' }).rejects(connectionRefused());
      expect((await failureOf(() => tables.listTables())).code).toBe('dynamodb.unavailable');
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
      await expect(tables.createTable(params)).resolves.toEqual(active);
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
      await tables.createTable({ ...params, billingMode: 'PROVISIONED' });
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
      const creating = tables.createTable(params);
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
      const creating = tables.createTable(params);
      creating.then(settled, settled);

      await jest.advanceTimersByTimeAsync(100);
      expect(settled).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1_000);
      await expect(creating).resolves.toEqual(active);
    });

    it('when the table does not become ACTIVE within maxWaitSeconds, rejects saying so', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: { ...active, TableStatus: 'CREATING' } });
      const error = await failureOf(() => tables.createTable({ ...params, maxWaitSeconds: 0 }));
      expect(error.message).toContain(`table ${TABLE} was not ACTIVE within 0 s (status CREATING)`);
    });

    it('when the table already exists, rejects with dynamodb.requestFailed and does not wait', async () => {
      clientMock.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'Table already exists', $metadata }));
      const error = await failureOf(() => tables.createTable(params));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ table: TABLE, aws_error: 'ResourceInUseException' });
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(0);
    });

    it('logs the billing mode and, when done, the status and index count', async () => {
      clientMock.on(CreateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: active });
      await tables.createTable(params);
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
      const deleting = tables.deleteTable({ tableName: TABLE });
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
      const error = await failureOf(() => tables.deleteTable({ tableName: TABLE, maxWaitSeconds: 0 }));
      expect(error.message).toContain(`table ${TABLE} was not deleted within 0 s`);
    });

    it('when the table does not exist, rejects with dynamodb.requestFailed', async () => {
      clientMock.on(DeleteTableCommand).rejects(notFound());
      const error = await failureOf(() => tables.deleteTable({ tableName: 'missing' }));
      expect(detailsOf(error, 'dynamodb.requestFailed')).toMatchObject({ aws_error: 'ResourceNotFoundException' });
    });
  });
});
