import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject, injectable } from 'inversify';
import {
  parseDynamoDBConfig,
  type DynamoDBConfig,
  type DynamoDBConfigInput,
} from '../config/dynamodb-config.schema.ts';
import { DYNAMODB_CORE_TOKENS } from '../container/tokens.ts';
import { DynamoDBItems } from '../items/dynamodb-items.ts';
import type { Logger } from '../logger/logger.ts';
import { DynamoDBTables } from '../tables/dynamodb-tables.ts';
import { createClients } from './create-clients.ts';
import { logged } from './operation-log.ts';

/**
 * DynamoDB over AWS SDK v3, split along the SDK's own line: `items` (item,
 * query, scan, batch and transaction operations, on the document client) and
 * `tables` (table administration, on the low-level client). The service owns
 * the validated config and the one pair of clients both share; `ping()`
 * checks the endpoint and `close()` releases the connections.
 * Every failure is a `VitalsError`; every operation is logged (DEBUG
 * start, INFO done with counts, ERROR with context).
 */
@injectable()
export class DynamoDBService {
  readonly config: DynamoDBConfig;
  /** Items, queries, scans, batches and transactions. */
  readonly items: DynamoDBItems;
  /** Creating, changing, describing and deleting tables. */
  readonly tables: DynamoDBTables;
  private readonly log: Logger;
  private readonly client: DynamoDBClient;
  private readonly document: DynamoDBDocumentClient;

  constructor(
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(DYNAMODB_CORE_TOKENS.DynamoDBConfig) config: DynamoDBConfigInput,
  ) {
    if (!logger) throw new TypeError('DynamoDBService needs a logger');
    this.config = parseDynamoDBConfig(config);
    this.log = logger.child({ component: 'DynamoDBService' });
    ({ client: this.client, document: this.document } = createClients(this.config));
    this.items = new DynamoDBItems(this.document, this.config, this.log);
    this.tables = new DynamoDBTables(this.client, this.config, this.log);
    this.log.info(
      { region: this.config.region_name, endpoint: this.config.endpoint_url ?? 'aws' },
      'DynamoDB client initialised',
    );
  }

  /** One cheap request proving the endpoint answers; resolves with its latency. */
  ping(): Promise<{ latency_ms: number }> {
    return logged(this.log, { operation: 'ping' }, async () => {
      const started = performance.now();
      await this.client.send(new ListTablesCommand({ Limit: 1 }));
      return { latency_ms: Math.round((performance.now() - started) * 10) / 10 };
    });
  }

  /** Releases the HTTP connections (sockets, agents) of both clients; call it at shutdown. */
  close(): void {
    this.document.destroy();
    this.client.destroy();
    this.log.debug({}, 'DynamoDB client closed');
  }
}
