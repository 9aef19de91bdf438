import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { inject, injectable } from 'inversify';
import { batchGet } from '../batch/batch-get.ts';
import { batchWrite } from '../batch/batch-write.ts';
import { retryPolicy } from '../batch/retry-policy.ts';
import type { ChunkRunReport } from '../batch/run-chunks.ts';
import {
  parseDynamoDBConfig,
  type DynamoDBConfig,
  type DynamoDBConfigInput,
} from '../config/dynamodb-config.schema.ts';
import { DYNAMODB_CORE_TOKENS } from '../container/tokens.ts';
import { VitalsError } from '../errors/vitals-error.ts';
import type { Logger } from '../logger/logger.ts';
import { createClients } from './create-clients.ts';
import { logged } from './operation-log.ts';
import { conditionFields } from './condition-fields.ts';
import { toSdkTransactItem } from './transact-items.ts';
import { loggableFailure, translateError } from './translate-error.ts';
import { waitForTable } from './wait-for-table.ts';
import type {
  BatchGetOptions,
  BatchOptions,
  CreateTableParams,
  GetItemOptions,
  TableSettings,
  UpdateTableParams,
  Item,
  Key,
  Page,
  QueryParams,
  ScanParams,
  TransactWriteItem,
  TransactWriteOptions,
  UpdateParams,
  WriteCondition,
} from './types.ts';

const DEFAULT_BATCH_CONCURRENCY = 16;
const DEFAULT_TABLE_WAIT_SECONDS = 300;

/**
 * High-level DynamoDB operations over AWS SDK v3: tables, items, queries and
 * scans, batches that retry what DynamoDB leaves unprocessed, transactions.
 * Every failure is a {@link VitalsError}; every operation is logged (DEBUG
 * start, INFO done with counts, ERROR with context).
 */
@injectable()
export class DynamoDBService {
  readonly config: DynamoDBConfig;
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
    this.log.info(
      { region: this.config.region_name, endpoint: this.config.endpoint_url ?? 'aws' },
      'DynamoDB client initialised',
    );
  }

  // ── connection and tables ─────────────────────────────────────────────

  /** One cheap request proving the endpoint answers; resolves with its latency. */
  ping(): Promise<{ latency_ms: number }> {
    return logged(this.log, { operation: 'ping' }, async () => {
      const started = performance.now();
      await this.client.send(new ListTablesCommand({ Limit: 1 }));
      return { latency_ms: Math.round((performance.now() - started) * 10) / 10 };
    });
  }

  tableExists(tableName: string): Promise<boolean> {
    return logged(
      this.log,
      { operation: 'tableExists', table: tableName },
      async () => {
        try {
          await this.client.send(new DescribeTableCommand({ TableName: tableName }));
          return true;
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
          throw error;
        }
      },
      (exists) => ({ exists }),
    );
  }

  /** Every table name, following ListTables pages. */
  listTables(): Promise<string[]> {
    return logged(
      this.log,
      { operation: 'listTables' },
      async () => {
        const names: string[] = [];
        let start: string | undefined;
        do {
          const output = await this.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
          names.push(...(output.TableNames ?? []));
          start = output.LastEvaluatedTableName;
        } while (start !== undefined);
        return names;
      },
      (names) => ({ count: names.length }),
    );
  }

  /** Creates a table (and its GSIs) and resolves once everything is ACTIVE. */
  createTable(params: CreateTableParams): Promise<TableDescription> {
    const billingMode = params.billingMode ?? 'PAY_PER_REQUEST';
    const throughput =
      billingMode === 'PROVISIONED'
        ? { ReadCapacityUnits: this.config.read_capacity_units, WriteCapacityUnits: this.config.write_capacity_units }
        : undefined;
    return logged(
      this.log,
      { operation: 'createTable', table: params.tableName, billing_mode: billingMode },
      async () => {
        await this.client.send(
          new CreateTableCommand({
            TableName: params.tableName,
            KeySchema: params.keySchema,
            AttributeDefinitions: params.attributeDefinitions,
            BillingMode: billingMode,
            ProvisionedThroughput: throughput,
            GlobalSecondaryIndexes: params.globalSecondaryIndexes?.map((index) => ({
              ...index,
              ProvisionedThroughput: throughput,
            })),
          }),
        );
        const table = await waitForTable(
          this.client,
          params.tableName,
          'active',
          params.maxWaitSeconds ?? DEFAULT_TABLE_WAIT_SECONDS,
        );
        return table as TableDescription;
      },
      (table) => ({ status: table.TableStatus, indexes: table.GlobalSecondaryIndexes?.length ?? 0 }),
    );
  }

  /** Deletes a table and resolves once it is gone. */
  deleteTable(tableName: string, maxWaitSeconds = DEFAULT_TABLE_WAIT_SECONDS): Promise<void> {
    return logged(this.log, { operation: 'deleteTable', table: tableName }, async () => {
      await this.client.send(new DeleteTableCommand({ TableName: tableName }));
      await waitForTable(this.client, tableName, 'gone', maxWaitSeconds);
    });
  }

  /** The table's description, or `undefined` when it does not exist. */
  describeTable(tableName: string): Promise<TableDescription | undefined> {
    return logged(this.log, { operation: 'describeTable', table: tableName }, async () => {
      try {
        return (await this.client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    });
  }

  /**
   * TTL and point-in-time recovery of a table. Each is `'unsupported'` when
   * the endpoint does not implement its API (DynamoDB Local has no PITR).
   */
  describeTableSettings(tableName: string): Promise<TableSettings> {
    return logged(this.log, { operation: 'describeTableSettings', table: tableName }, async () => {
      const ttl = await this.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
      let pitr: TableSettings['point_in_time_recovery'];
      try {
        const backups = await this.client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
        pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
      } catch (error) {
        if ((error as { name?: string }).name !== 'UnknownOperationException') throw error;
        pitr = 'unsupported';
      }
      return {
        ttl_attribute: status === 'ENABLED' || status === 'ENABLING' ? ttl.TimeToLiveDescription?.AttributeName : undefined,
        point_in_time_recovery: pitr,
      };
    });
  }

  /** Turns TTL on for `attributeName` (epoch seconds). */
  enableTimeToLive(tableName: string, attributeName: string): Promise<void> {
    return logged(this.log, { operation: 'enableTimeToLive', table: tableName }, async () => {
      await this.client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
        }),
      );
    });
  }

  /** Turns point-in-time recovery on or off. Endpoints without the API fail with `dynamodb.requestFailed` (`UnknownOperationException`). */
  setPointInTimeRecovery(tableName: string, enabled: boolean): Promise<void> {
    return logged(this.log, { operation: 'setPointInTimeRecovery', table: tableName }, async () => {
      await this.client.send(
        new UpdateContinuousBackupsCommand({
          TableName: tableName,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
        }),
      );
    });
  }

  /**
   * Changes a table: adds a GSI, switches deletion protection or billing
   * mode (one change per call, as DynamoDB requires), and resolves once the
   * table and all its indexes are ACTIVE again.
   */
  updateTable(params: UpdateTableParams): Promise<TableDescription> {
    const provisioned = {
      ReadCapacityUnits: this.config.read_capacity_units,
      WriteCapacityUnits: this.config.write_capacity_units,
    };
    return logged(this.log, { operation: 'updateTable', table: params.tableName }, async () => {
      await this.client.send(
        new UpdateTableCommand({
          TableName: params.tableName,
          DeletionProtectionEnabled: params.deletionProtection,
          BillingMode: params.billingMode,
          ProvisionedThroughput: params.billingMode === 'PROVISIONED' ? provisioned : undefined,
          AttributeDefinitions: params.createIndex?.attributeDefinitions,
          GlobalSecondaryIndexUpdates: params.createIndex && [
            {
              Create: {
                ...params.createIndex.index,
                ProvisionedThroughput: params.createIndex.provisioned ? provisioned : undefined,
              },
            },
          ],
        }),
      );
      return (await waitForTable(
        this.client,
        params.tableName,
        'active',
        params.maxWaitSeconds ?? DEFAULT_TABLE_WAIT_SECONDS,
      )) as TableDescription;
    });
  }

  // ── items ─────────────────────────────────────────────────────────────

  async putItem(item: Item, tableName?: string, condition: WriteCondition = {}): Promise<void> {
    const table = this.resolveTable(tableName, 'putItem');
    return logged(this.log, { operation: 'putItem', table }, async () => {
      await this.document.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ...conditionFields(condition),
        }),
      );
    });
  }

  /** The item, or `undefined` when there is none with that key. */
  async getItem(key: Key, tableName?: string, options: GetItemOptions = {}): Promise<Item | undefined> {
    const table = this.resolveTable(tableName, 'getItem');
    return logged(
      this.log,
      { operation: 'getItem', table },
      async () => {
        const output = await this.document.send(
          new GetCommand({
            TableName: table,
            Key: key,
            ConsistentRead: options.consistentRead,
            ProjectionExpression: options.projectionExpression,
            ExpressionAttributeNames: options.expressionAttributeNames,
          }),
        );
        return output.Item as Item | undefined;
      },
      (item) => ({ found: item !== undefined }),
    );
  }

  /** Applies an update expression and returns the item's attributes after it. */
  async updateItem(key: Key, update: UpdateParams, tableName?: string): Promise<Item> {
    const table = this.resolveTable(tableName, 'updateItem');
    return logged(this.log, { operation: 'updateItem', table, key }, async () => {
      const output = await this.document.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: update.updateExpression,
          ...conditionFields(update),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return (output.Attributes ?? {}) as Item;
    });
  }

  /** Deletes by key; resolves with the item that was deleted, or `undefined` when there was none. */
  async deleteItem(key: Key, tableName?: string, condition: WriteCondition = {}): Promise<Item | undefined> {
    const table = this.resolveTable(tableName, 'deleteItem');
    return logged(
      this.log,
      { operation: 'deleteItem', table, key },
      async () => {
        const output = await this.document.send(
          new DeleteCommand({
            TableName: table,
            Key: key,
            ...conditionFields(condition),
            ReturnValues: 'ALL_OLD',
          }),
        );
        return output.Attributes as Item | undefined;
      },
      (deleted) => ({ existed: deleted !== undefined }),
    );
  }

  // ── query and scan ────────────────────────────────────────────────────

  /** Items matching a key condition: every page when `limit` is 0 or absent, else at most `limit` items. */
  async query(params: QueryParams): Promise<Item[]> {
    return collect(this.queryPages(params));
  }

  /** The query's response pages, one request per page, as they arrive. */
  queryPages(params: QueryParams): AsyncGenerator<Page> {
    return this.pages('query', params);
  }

  /** Items of a whole table or index (optionally filtered): every page when `limit` is 0 or absent. */
  async scan(params: ScanParams = {}): Promise<Item[]> {
    return collect(this.scanPages(params));
  }

  /** The scan's response pages, one request per page, as they arrive. */
  scanPages(params: ScanParams = {}): AsyncGenerator<Page> {
    return this.pages('scan', params);
  }

  // ── batches and transactions ─────────────────────────────────────────

  /**
   * Puts any number of items: chunks of 25, several requests in flight,
   * unprocessed items and throttled chunks retried with backoff and jitter.
   * When the retry budget runs out, throws `dynamodb.batchIncomplete` listing
   * exactly the items not written.
   */
  async batchWriteItems(items: readonly Item[], tableName?: string, options: BatchOptions = {}): Promise<void> {
    const table = this.resolveTable(tableName, 'batchWriteItems');
    const retry = retryPolicy(options.retry);
    await logged(
      this.log,
      { operation: 'batchWriteItems', table, count: items.length },
      async () => {
        const report = await batchWrite(this.document, table, items, {
          concurrency: options.concurrency ?? DEFAULT_BATCH_CONCURRENCY,
          retry,
        });
        throwIfIncomplete(report, 'batchWriteItems', table, items.length);
        return report;
      },
      batchSummary,
    );
  }

  /**
   * Reads any number of keys: chunks of 100, several requests in flight,
   * unprocessed keys retried with backoff and jitter. Items come back in no
   * particular order; keys with no item are simply absent. When the retry
   * budget runs out, throws `dynamodb.batchIncomplete` listing exactly the
   * keys not read (and carrying the items that were).
   */
  async batchGetItems(keys: readonly Key[], tableName?: string, options: BatchGetOptions = {}): Promise<Item[]> {
    const table = this.resolveTable(tableName, 'batchGetItems');
    const retry = retryPolicy(options.retry);
    const report = await logged(
      this.log,
      { operation: 'batchGetItems', table, count: keys.length },
      async () => {
        const result = await batchGet(this.document, table, keys, {
          concurrency: options.concurrency ?? DEFAULT_BATCH_CONCURRENCY,
          retry,
          read: options,
        });
        throwIfIncomplete(result, 'batchGetItems', table, keys.length);
        return result;
      },
      (result) => ({ ...batchSummary(result), found: result.results.length }),
    );
    return report.results;
  }

  /**
   * All-or-nothing writes (up to 100 actions). A cancelled transaction throws
   * `dynamodb.transactionCanceled` with one reason per action, carrying the
   * existing item where a condition failed.
   */
  async transactWrite(actions: readonly TransactWriteItem[], options: TransactWriteOptions = {}): Promise<void> {
    const items = actions.map((action) => toSdkTransactItem(action, (name) => this.resolveTable(name, 'transactWrite')));
    return logged(this.log, { operation: 'transactWrite', count: items.length }, async () => {
      await this.document.send(
        new TransactWriteCommand({ TransactItems: items, ClientRequestToken: options.clientRequestToken }),
      );
    });
  }

  /** Releases the HTTP connections (sockets, agents); call it at shutdown. */
  close(): void {
    this.document.destroy();
    this.client.destroy();
    this.log.debug({}, 'DynamoDB client closed');
  }

  // ── internals ────────────────────────────────────────────────────────

  private resolveTable(tableName: string | undefined, operation: string): string {
    const table = tableName ?? this.config.default_table_name;
    if (table === undefined || table === '') {
      throw new VitalsError(
        'dynamodb.noTable',
        `${operation}: no table name given and the config has no default_table_name`,
        { operation },
      );
    }
    return table;
  }

  /** One paginator for query and scan: follows LastEvaluatedKey, honours `limit`, logs once per stream. */
  private async *pages(kind: 'query' | 'scan', params: QueryParams | ScanParams): AsyncGenerator<Page> {
    const table = this.resolveTable(params.tableName, kind);
    const fields = { operation: kind, table, index: params.indexName };
    const wanted = params.limit !== undefined && params.limit > 0 ? params.limit : Number.POSITIVE_INFINITY;
    this.log.debug(fields, `${kind} started`);
    const started = performance.now();
    let count = 0;
    let pageCount = 0;
    let startKey = params.exclusiveStartKey;
    try {
      do {
        const remaining = wanted - count;
        const limit = Number.isFinite(remaining) ? Math.min(params.pageSize ?? remaining, remaining) : params.pageSize;
        const common = {
          TableName: table,
          IndexName: params.indexName,
          FilterExpression: params.filterExpression,
          ProjectionExpression: params.projectionExpression,
          ExpressionAttributeNames: params.expressionAttributeNames,
          ExpressionAttributeValues: params.expressionAttributeValues,
          ConsistentRead: params.consistentRead,
          Limit: limit,
          ExclusiveStartKey: startKey,
        };
        const output =
          kind === 'query'
            ? await this.document.send(
                new QueryCommand({
                  ...common,
                  KeyConditionExpression: (params as QueryParams).keyConditionExpression,
                  ScanIndexForward: (params as QueryParams).scanIndexForward,
                }),
              )
            : await this.document.send(
                new ScanCommand({
                  ...common,
                  Segment: (params as ScanParams).segment,
                  TotalSegments: (params as ScanParams).totalSegments,
                }),
              );
        const items = (output.Items ?? []) as Item[];
        startKey = output.LastEvaluatedKey as Key | undefined;
        count += items.length;
        pageCount++;
        yield { items, lastEvaluatedKey: startKey };
      } while (startKey !== undefined && count < wanted);
      this.log.info(
        { ...fields, count, pages: pageCount, duration_ms: Math.round(performance.now() - started) },
        `${kind} done`,
      );
    } catch (error) {
      const failure = translateError(error, fields);
      this.log.error({ ...fields, ...loggableFailure(failure), pages: pageCount }, `${kind} failed`);
      throw failure;
    }
  }
}

async function collect(pages: AsyncIterable<Page>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) {
    for (const item of page.items) items.push(item);
  }
  return items;
}

function batchSummary(report: ChunkRunReport<unknown, unknown>): Record<string, unknown> {
  return { requests: report.requests, retries: report.retries };
}

function throwIfIncomplete(
  report: ChunkRunReport<Item, Item> | ChunkRunReport<Item, never>,
  operation: 'batchWriteItems' | 'batchGetItems',
  table: string,
  requested: number,
): void {
  if (report.unprocessed.length === 0) return;
  const reason = report.failure?.reason ?? 'retryBudgetExhausted';
  const what = operation === 'batchWriteItems' ? 'items were not written' : 'keys were not read';
  throw new VitalsError(
    'dynamodb.batchIncomplete',
    `${operation} on table ${table}: ${report.unprocessed.length} of ${requested} ${what} ` +
      `(${reason === 'retryBudgetExhausted' ? 'retry budget exhausted' : 'request failed'}` +
      `${report.failure?.cause ? `: ${report.failure.cause.message}` : ''})`,
    {
      operation,
      table,
      reason,
      requested_count: requested,
      unprocessed_count: report.unprocessed.length,
      ...(operation === 'batchWriteItems'
        ? { unprocessed_items: report.unprocessed }
        : { unprocessed_keys: report.unprocessed, retrieved_items: report.results as Item[] }),
    },
    { cause: report.failure?.cause },
  );
}
