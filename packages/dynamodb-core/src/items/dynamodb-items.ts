import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../batch/batch-get.ts';
import { batchWrite } from '../batch/batch-write.ts';
import { retryPolicy } from '../batch/retry-policy.ts';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import { VitalsError } from '../errors/vitals-error.ts';
import type { Logger } from '../logger/logger.ts';
import { logged } from '../service/operation-log.ts';
import { batchSummary, throwIfIncomplete } from './batch-report.ts';
import { conditionFields } from './condition-fields.ts';
import { collect, paginate } from './paginate.ts';
import { toSdkTransactItem } from './transact-items.ts';
import type {
  BatchGetItemsParams,
  BatchWriteItemsParams,
  DeleteItemParams,
  GetItemParams,
  Item,
  Page,
  PutItemParams,
  QueryParams,
  ScanParams,
  TransactWriteParams,
  UpdateItemParams,
} from './types.ts';

const DEFAULT_BATCH_CONCURRENCY = 16;

/**
 * Item, query, scan, batch and transaction operations (the document client's
 * side of the SDK). Each takes one input object; a missing `tableName` falls
 * back to the config's `default_table_name`, and when there is none the
 * operation rejects with `dynamodb.noTable` before sending anything. Every
 * failure is a {@link VitalsError}; every operation is logged.
 *
 * Built by `DynamoDBService` (its `items`), which owns the clients: get it
 * from there or from the container, never construct one yourself.
 */
export class DynamoDBItems {
  /** Called by `DynamoDBService`; use its `items`, or `container.get(DynamoDBItems)`. */
  constructor(
    private readonly document: DynamoDBDocumentClient,
    private readonly config: DynamoDBConfig,
    private readonly log: Logger,
  ) {}

  // ── items ─────────────────────────────────────────────────────────────

  async putItem({ tableName, item, condition = {} }: PutItemParams): Promise<void> {
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
  async getItem(params: GetItemParams): Promise<Item | undefined> {
    const table = this.resolveTable(params.tableName, 'getItem');
    return logged(
      this.log,
      { operation: 'getItem', table },
      async () => {
        const output = await this.document.send(
          new GetCommand({
            TableName: table,
            Key: params.key,
            ConsistentRead: params.consistentRead,
            ProjectionExpression: params.projectionExpression,
            ExpressionAttributeNames: params.expressionAttributeNames,
          }),
        );
        return output.Item as Item | undefined;
      },
      (item) => ({ found: item !== undefined }),
    );
  }

  /** Applies an update expression and returns the item's attributes after it. */
  async updateItem({ tableName, key, update }: UpdateItemParams): Promise<Item> {
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
  async deleteItem({ tableName, key, condition = {} }: DeleteItemParams): Promise<Item | undefined> {
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
    return paginate(this.document, this.log, 'query', params, (name) => this.resolveTable(name, 'query'));
  }

  /** Items of a whole table or index (optionally filtered): every page when `limit` is 0 or absent. */
  async scan(params: ScanParams = {}): Promise<Item[]> {
    return collect(this.scanPages(params));
  }

  /** The scan's response pages, one request per page, as they arrive. */
  scanPages(params: ScanParams = {}): AsyncGenerator<Page> {
    return paginate(this.document, this.log, 'scan', params, (name) => this.resolveTable(name, 'scan'));
  }

  // ── batches and transactions ─────────────────────────────────────────

  /**
   * Puts any number of items: chunks of 25, several requests in flight,
   * unprocessed items and throttled chunks retried with backoff and jitter.
   * When the retry budget runs out, throws `dynamodb.batchIncomplete` listing
   * exactly the items not written.
   */
  async batchWriteItems({ tableName, items, concurrency, retry }: BatchWriteItemsParams): Promise<void> {
    const table = this.resolveTable(tableName, 'batchWriteItems');
    const policy = retryPolicy(retry);
    await logged(
      this.log,
      { operation: 'batchWriteItems', table, count: items.length },
      async () => {
        const report = await batchWrite(this.document, table, items, {
          concurrency: concurrency ?? DEFAULT_BATCH_CONCURRENCY,
          retry: policy,
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
  async batchGetItems(params: BatchGetItemsParams): Promise<Item[]> {
    const { keys } = params;
    const table = this.resolveTable(params.tableName, 'batchGetItems');
    const retry = retryPolicy(params.retry);
    const report = await logged(
      this.log,
      { operation: 'batchGetItems', table, count: keys.length },
      async () => {
        const result = await batchGet(this.document, table, keys, {
          concurrency: params.concurrency ?? DEFAULT_BATCH_CONCURRENCY,
          retry,
          read: params,
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
  async transactWrite({ actions, clientRequestToken }: TransactWriteParams): Promise<void> {
    const items = actions.map((action) => toSdkTransactItem(action, (name) => this.resolveTable(name, 'transactWrite')));
    return logged(this.log, { operation: 'transactWrite', count: items.length }, async () => {
      await this.document.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }));
    });
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
}
