import { ContainerModule } from 'inversify';
import { parseDynamoDBConfig, type DynamoDBConfigInput } from '../config/dynamodb-config.schema.ts';
import { createLogger, type Logger } from '../logger/logger.ts';
import { DynamoDBItems } from '../items/dynamodb-items.ts';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import { DynamoDBTables } from '../tables/dynamodb-tables.ts';
import { DYNAMODB_CORE_TOKENS } from './tokens.ts';

export interface DynamoDBCoreModuleOptions {
  /** Validated when the module is created; a bad config fails here, before anything is resolved. */
  config: DynamoDBConfigInput;
  /** Default: `createLogger()`. */
  logger?: Logger;
}

/**
 * Binds the Logger, the DynamoDBConfig and a singleton DynamoDBService (whose
 * connections are closed when the container unbinds it), and its `items` and
 * `tables` as `DynamoDBItems` and `DynamoDBTables`: one pair of clients for all three.
 */
export function dynamoDBCoreModule(options: DynamoDBCoreModuleOptions): ContainerModule {
  const config = parseDynamoDBConfig(options.config);
  const logger = options.logger ?? createLogger();
  return new ContainerModule(({ bind }) => {
    bind(DYNAMODB_CORE_TOKENS.Logger).toConstantValue(logger);
    bind(DYNAMODB_CORE_TOKENS.DynamoDBConfig).toConstantValue(config);
    bind(DynamoDBService)
      .toSelf()
      .inSingletonScope()
      .onDeactivation((service) => service.close());
    bind(DynamoDBItems)
      .toResolvedValue((service: DynamoDBService) => service.items, [DynamoDBService])
      .inSingletonScope();
    bind(DynamoDBTables)
      .toResolvedValue((service: DynamoDBService) => service.tables, [DynamoDBService])
      .inSingletonScope();
  });
}
