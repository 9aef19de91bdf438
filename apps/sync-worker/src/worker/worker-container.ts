import { dynamoDBCoreModule, type Logger } from '@vitals/dynamodb-core';
import { DEFAULT_SYNC_JOB_RETENTION_DAYS, repositoriesModule, type Clock } from '@vitals/repositories';
import { Container } from 'inversify';
import { randomBytes } from 'node:crypto';
import type { WorkerConfig } from '../config/worker-config.ts';

/**
 * The worker's composition root: DynamoDB (config, logger, service) and every
 * repository, with the schedule the worker was configured with.
 * `container.unbindAll()` closes the DynamoDB client.
 */
export async function createWorkerContainer(config: WorkerConfig, logger: Logger, clock?: Clock): Promise<Container> {
  const container = new Container();
  await container.load(
    dynamoDBCoreModule({ config: config.dynamodb.config, logger }),
    repositoriesModule({
      settings: {
        table_prefix: config.table_prefix,
        strict: false,
        // The worker hands out no cursors: an ephemeral secret suffices.
        cursor_secret: randomBytes(32).toString('base64'),
        sync_schedule: config.sync_schedule,
        // A connection finishes a job every run: finished jobs expire, or the table only grows.
        sync_job_retention_days: DEFAULT_SYNC_JOB_RETENTION_DAYS,
      },
      tokenKeys: config.token_keys,
      ...(clock === undefined ? {} : { clock }),
    }),
  );
  return container;
}
