import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { randomUUID } from 'node:crypto';
import type { DynamoDBConfigInput } from '../config/dynamodb-config.schema.ts';
import { createLogger, type Logger } from '../logger/logger.ts';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import type { CreateTableParams } from '../tables/types.ts';

/** Config for the DynamoDB Local that the Jest global setup started. */
export function localConfig(overrides: Partial<DynamoDBConfigInput> = {}): DynamoDBConfigInput {
  return {
    region_name: 'us-east-1',
    endpoint_url: testDynamoDBEndpoint(),
    aws_access_key_id: 'local',
    aws_secret_access_key: 'local',
    ...overrides,
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

export function localService(overrides: Partial<DynamoDBConfigInput> = {}, logger: Logger = silentLogger): DynamoDBService {
  return new DynamoDBService(logger, localConfig(overrides));
}

/** A table name no other suite uses. */
export function uniqueTableName(purpose: string): string {
  return `it-${purpose}-${randomUUID().slice(0, 8)}`;
}

/** The health-log layout: both key attributes are DynamoDB reserved words. */
export function healthEntriesTable(tableName: string): CreateTableParams {
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
