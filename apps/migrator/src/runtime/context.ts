import {
  DynamoDBService,
  createLogger,
  dynamoDBCoreModule,
  dynamoDBSettingsFromEnv,
  type DynamoDBConfig,
  type EnvLike,
  type Logger,
} from '@vitals/dynamodb-core';
import { startLocalDynamoDB } from '@vitals/local-dynamodb';
import { repositoriesModule } from '@vitals/repositories';
import { Container } from 'inversify';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

/** Everything a command runs with: the container, the table prefix, and where DynamoDB is. */
export interface MigratorContext {
  container: Container;
  db: DynamoDBService;
  prefix: string;
  endpoint: string;
  logger: Logger;
}

/**
 * Reads the environment once (the variables of the README's configuration table), reuses or starts the embedded
 * DynamoDB Local (shared with `npm start`, data in `.data/dynamodb`), builds
 * the container, runs `command`, and always releases what it started.
 */
export async function withContext<T>(env: EnvLike, command: (context: MigratorContext) => Promise<T>): Promise<T> {
  let settings: ReturnType<typeof dynamoDBSettingsFromEnv>;
  try {
    settings = dynamoDBSettingsFromEnv(env);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const prefix = env['TABLE_PREFIX'] ?? '';
  // The report is the CLI's output; structured logs (to stderr) only when LOG_LEVEL asks for them.
  const logger = createLogger({
    level: (env['LOG_LEVEL'] as 'info' | undefined) ?? 'silent',
    destination: process.stderr as never,
  });

  const local =
    settings.endpoint.mode === 'embedded'
      ? await startLocalDynamoDB({
          port: settings.endpoint.port,
          dataDir: resolve(env['VITALS_DATA_DIR'] ?? '.data', 'dynamodb'),
          portSetting: 'DYNAMODB_LOCAL_PORT',
        })
      : undefined;
  const config: DynamoDBConfig = settings.config;
  const container = new Container();
  try {
    await container.load(
      dynamoDBCoreModule({ config, logger }),
      repositoriesModule({
        // The migrator hands out no cursors and reads no tokens: ephemeral secrets suffice.
        settings: { table_prefix: prefix, strict: false, cursor_secret: randomBytes(32).toString('base64') },
        tokenKeys: { current_key_id: 'migrator', keys: { migrator: randomBytes(32).toString('base64') } },
      }),
    );
    const db = container.get(DynamoDBService);
    return await command({ container, db, prefix, endpoint: config.endpoint_url ?? `aws:${config.region_name}`, logger });
  } finally {
    await container.unbindAll();
    await local?.stop();
  }
}
