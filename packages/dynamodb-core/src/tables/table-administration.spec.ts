import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createLogger } from '../logger/logger.ts';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import { DynamoDBTables } from './dynamodb-tables.ts';

const TABLE = 'vitals-admin';
const clientMock = mockClient(DynamoDBClient);

function tables(): DynamoDBTables {
  return new DynamoDBService(createLogger({ level: 'silent' }), {
    region_name: 'us-east-1',
    endpoint_url: 'http://127.0.0.1:1',
    aws_access_key_id: 'k',
    aws_secret_access_key: 's',
    read_capacity_units: 7,
    write_capacity_units: 3,
  }).tables;
}

function unknownOperation(): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name: 'UnknownOperationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'An unknown operation was requested.',
  });
}

describe(DynamoDBTables.name, () => {
  beforeEach(() => clientMock.reset());

  describe('.describeTable', () => {
    it('when the table is missing, resolves undefined', async () => {
      clientMock.on(DescribeTableCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
      expect(await tables().describeTable({ tableName: TABLE })).toBeUndefined();
    });
  });

  describe('.describeTableSettings', () => {
    it('reports the TTL attribute and PITR status', async () => {
      clientMock.on(DescribeTimeToLiveCommand).resolves({
        TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' },
      });
      clientMock.on(DescribeContinuousBackupsCommand).resolves({
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
        },
      });
      expect(await tables().describeTableSettings({ tableName: TABLE })).toEqual({
        ttl_attribute: 'expires_at',
        point_in_time_recovery: true,
      });
    });

    it('when TTL is disabled and the endpoint has no backups API, says so', async () => {
      clientMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
      clientMock.on(DescribeContinuousBackupsCommand).rejects(unknownOperation());
      expect(await tables().describeTableSettings({ tableName: TABLE })).toEqual({ point_in_time_recovery: 'unsupported' });
    });
  });

  describe('.enableTimeToLive / .setPointInTimeRecovery', () => {
    it('send the table and attribute', async () => {
      clientMock.on(UpdateTimeToLiveCommand).resolves({});
      clientMock.on(UpdateContinuousBackupsCommand).resolves({});
      await tables().enableTimeToLive({ tableName: TABLE, attributeName: 'expires_at' });
      await tables().setPointInTimeRecovery({ tableName: TABLE, enabled: true });
      expect(clientMock.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input).toEqual({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      });
      expect(clientMock.commandCalls(UpdateContinuousBackupsCommand)[0]?.args[0].input).toEqual({
        TableName: TABLE,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('when the endpoint lacks the backups API, fails with requestFailed naming it', async () => {
      clientMock.on(UpdateContinuousBackupsCommand).rejects(unknownOperation());
      await expect(tables().setPointInTimeRecovery({ tableName: TABLE, enabled: true })).rejects.toMatchObject({
        code: 'dynamodb.requestFailed',
        details: { aws_error: 'UnknownOperationException' },
      });
    });
  });

  describe('.updateTable', () => {
    it('adds a provisioned GSI with the config capacity and waits until it is ACTIVE', async () => {
      clientMock.on(UpdateTableCommand).resolves({});
      clientMock
        .on(DescribeTableCommand)
        .resolvesOnce({ Table: { TableStatus: 'UPDATING', GlobalSecondaryIndexes: [{ IndexName: 'g', IndexStatus: 'CREATING' }] } })
        .resolves({ Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexName: 'g', IndexStatus: 'ACTIVE' }] } });
      const table = await tables().updateTable({
        tableName: TABLE,
        createIndex: {
          index: { IndexName: 'g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
          attributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          provisioned: true,
        },
      });
      expect(table.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
      expect(clientMock.commandCalls(DescribeTableCommand)).toHaveLength(2);
      expect(clientMock.commandCalls(UpdateTableCommand)[0]?.args[0].input).toMatchObject({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'g', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } } },
        ],
      });
    });

    it('switches deletion protection alone', async () => {
      clientMock.on(UpdateTableCommand).resolves({});
      clientMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE', DeletionProtectionEnabled: true } });
      await tables().updateTable({ tableName: TABLE, deletionProtection: true });
      const input = clientMock.commandCalls(UpdateTableCommand)[0]?.args[0].input;
      expect(input).toEqual({ TableName: TABLE, DeletionProtectionEnabled: true });
    });
  });
});
