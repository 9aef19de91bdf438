import { dynamoDBCoreModule, type Logger } from '@vitals/dynamodb-core';
import { DEFAULT_SYNC_JOB_RETENTION_DAYS, repositoriesModule, type Clock } from '@vitals/repositories';
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
        ...config.reading_changes,
        // A connection finishes a job every run: finished jobs expire, or the table only grows.
        sync_job_retention_days: DEFAULT_SYNC_JOB_RETENTION_DAYS,
      },
      tokenKeys: config.token_keys,
      ...(clock === undefined ? {} : { clock }),
    }),
    apiModule(config),
  );
  return container;
}
