export { VitalsError, type VitalsErrorCode, type VitalsErrorDetailsByCode } from './errors/vitals-error.ts';
export { createLogger, synchronousStandardOutput, type Logger, type LoggerOptions } from './logger/logger.ts';
export {
  AWS_REGION_PATTERN,
  type ConfigIssue,
  DynamoDBConfigSchema,
  ERROR_ACCESS_KEY_REQUIRED,
  ERROR_SECRET_KEY_REQUIRED,
  parseDynamoDBConfig,
  validateDynamoDBConfig,
  type DynamoDBConfig,
  type DynamoDBConfigInput,
} from './config/dynamodb-config.schema.ts';
export {
  dynamoDBSettingsFromEnv,
  type DynamoDBEndpointMode,
  type DynamoDBSettings,
  type EnvLike,
} from './config/dynamodb-config.from-env.ts';
export { DynamoDBService } from './service/dynamodb.service.ts';
export { DynamoDBItems } from './items/dynamodb-items.ts';
export type {
  BatchGetItemsParams,
  BatchGetOptions,
  BatchOptions,
  BatchWriteItemsParams,
  DeleteItemParams,
  ExpressionAttributeNames,
  ExpressionAttributeValues,
  GetItemOptions,
  GetItemParams,
  Item,
  Key,
  Page,
  PutItemParams,
  QueryParams,
  ScanParams,
  TransactWriteItem,
  TransactWriteOptions,
  TransactWriteParams,
  UpdateItemParams,
  UpdateParams,
  WriteCondition,
} from './items/types.ts';
export { DynamoDBTables } from './tables/dynamodb-tables.ts';
export type {
  CreateTableParams,
  DeleteTableParams,
  EnableTimeToLiveParams,
  SetPointInTimeRecoveryParams,
  TableParams,
  TableSettings,
  UpdateTableParams,
} from './tables/types.ts';
export { DEFAULT_RETRY_POLICY, backoffDelayMs, type RetryPolicy } from './batch/retry-policy.ts';
export { BATCH_GET_LIMIT } from './batch/batch-get.ts';
export { BATCH_WRITE_LIMIT } from './batch/batch-write.ts';
export { DYNAMODB_CORE_TOKENS } from './container/tokens.ts';
export { dynamoDBCoreModule, type DynamoDBCoreModuleOptions } from './container/dynamodb-core.module.ts';
