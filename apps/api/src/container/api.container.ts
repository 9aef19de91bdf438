import { dynamoDBCoreModule, type Logger } from '@vitals/dynamodb-core';
import { repositoriesModule, type Clock } from '@vitals/repositories';
import { Container } from 'inversify';
import type { ApiConfig } from '../config/api-config.ts';
import { apiModule } from './api.module.ts';

/**
 * The composition root: DynamoDB (config, logger, service), every
 * repository, and the API's own services. `container.unbindAll()` closes
 * the DynamoDB client.
 */
export async function createApiContainer(config: ApiConfig, logger: Logger, clock?: Clock): Promise<Container> {
  const container = new Container();
  await container.load(
    dynamoDBCoreModule({ config: config.dynamodb.config, logger }),
    repositoriesModule({
      settings: {
        table_prefix: config.table_prefix,
        strict: false,
        cursor_secret: config.cursor_secret,
        sync_schedule: config.sync_schedule,
      },
      tokenKeys: config.token_keys,
      ...(clock === undefined ? {} : { clock }),
    }),
    apiModule(config),
  );
  return container;
}
