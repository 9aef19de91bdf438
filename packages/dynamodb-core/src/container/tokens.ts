import type { ServiceIdentifier } from 'inversify';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import type { Logger } from '../logger/logger.ts';

/** Typed inversify tokens of @vitals/dynamodb-core. The classes are their own tokens (`DynamoDBService`, `DynamoDBItems`, `DynamoDBTables`). */
export const DYNAMODB_CORE_TOKENS = {
  Logger: Symbol.for('@vitals/dynamodb-core/Logger') as ServiceIdentifier<Logger>,
  DynamoDBConfig: Symbol.for('@vitals/dynamodb-core/DynamoDBConfig') as ServiceIdentifier<DynamoDBConfig>,
} as const;
