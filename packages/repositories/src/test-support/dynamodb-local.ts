import { Container } from 'inversify';
import { DynamoDBService, createLogger, dynamoDBCoreModule, type Logger } from '@vitals/dynamodb-core';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { repositoriesModule } from '../container/repositories.module.ts';
import type { Clock, RepositorySettings } from '../settings/repository-settings.ts';
import { ensureTables } from '../tables/table-plan.ts';

export const silentLogger: Logger = createLogger({ level: 'silent' });

/** A container over the test run's DynamoDB Local (or `endpoint`, e.g. a request counter in front of it), with every table under a prefix of its own. */
export async function testContainer(
  overrides: Partial<RepositorySettings> = {},
  options: { clock?: Clock; logger?: Logger; endpoint?: string } = {},
): Promise<{ container: Container; db: DynamoDBService; settings: RepositorySettings }> {
  const settings: RepositorySettings = {
    table_prefix: `it-${randomUUID().slice(0, 8)}-`,
    strict: false,
    cursor_secret: 'test-cursor-secret-0123456789',
    ...overrides,
  };
  const container = new Container();
  await container.load(
    dynamoDBCoreModule({
      config: {
        region_name: 'us-east-1',
        endpoint_url: options.endpoint ?? testDynamoDBEndpoint(),
        aws_access_key_id: 'local',
        aws_secret_access_key: 'local',
      },
      logger: options.logger ?? silentLogger,
    }),
    repositoriesModule({
      settings,
      clock: options.clock,
      tokenKeys: { current_key_id: 'test', keys: { test: randomBytes(32).toString('base64') } },
    }),
  );
  const db = container.get(DynamoDBService);
  await ensureTables(db.tables, { prefix: settings.table_prefix });
  return { container, db, settings };
}

/** A clock that stands still until moved. */
export function manualClock(start = '2026-01-01T00:00:00.000Z'): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    set: (iso) => {
      now = Date.parse(iso);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
