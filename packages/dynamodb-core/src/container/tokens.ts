import type { ServiceIdentifier } from 'inversify';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import type { Logger } from '../logger/logger.ts';

/** Typed inversify tokens of @vitals/dynamodb-core. The service is its own token (`DynamoDBService`). */
export const DYNAMODB_CORE_TOKENS = {
  Logger: Symbol.for('@vitals/dynamodb-core/Logger') as ServiceIdentifier<Logger>,
  DynamoDBConfig: Symbol.for('@vitals/dynamodb-core/DynamoDBConfig') as ServiceIdentifier<DynamoDBConfig>,
} as const;
