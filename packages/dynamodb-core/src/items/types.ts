import type { BatchGetReadOptions } from '../batch/batch-get.ts';
import type { RetryPolicy } from '../batch/retry-policy.ts';

/** An item in plain JavaScript form (the document client marshals it). */
export type Item = Record<string, unknown>;
/** A primary key: the partition key attribute, and the sort key attribute when the table has one. */
export type Key = Record<string, unknown>;

export type ExpressionAttributeNames = Record<string, string>;
export type ExpressionAttributeValues = Record<string, unknown>;

/** A condition on a write; when it fails, a `dynamodb.conditionFailed` error carries the existing item. */
export interface WriteCondition {
  conditionExpression?: string;
  expressionAttributeNames?: ExpressionAttributeNames;
  expressionAttributeValues?: ExpressionAttributeValues;
}

export interface UpdateParams extends WriteCondition {
  updateExpression: string;
}

export interface GetItemOptions {
  consistentRead?: boolean;
  projectionExpression?: string;
  expressionAttributeNames?: ExpressionAttributeNames;
}

interface ReadParams {
  /** Falls back to `default_table_name`. */
  tableName?: string;
  indexName?: string;
  filterExpression?: string;
  projectionExpression?: string;
  expressionAttributeNames?: ExpressionAttributeNames;
  expressionAttributeValues?: ExpressionAttributeValues;
  consistentRead?: boolean;
  /** Most items to return; 0 or absent = every page. */
  limit?: number;
  /** Items DynamoDB evaluates per request (its `Limit`). */
  pageSize?: number;
  /** Resume after this key (a previous page's `lastEvaluatedKey`). */
  exclusiveStartKey?: Key;
}

export interface QueryParams extends ReadParams {
  keyConditionExpression: string;
  /** Ascending sort-key order unless false. */
  scanIndexForward?: boolean;
}

export interface ScanParams extends ReadParams {
  segment?: number;
  totalSegments?: number;
}

/** One DynamoDB response page. `lastEvaluatedKey` is absent on the last page. */
export interface Page {
  items: Item[];
  lastEvaluatedKey?: Key;
}

export interface BatchOptions {
  /** Requests in flight at once. Default 16. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
}

export type BatchGetOptions = BatchOptions & BatchGetReadOptions;

interface TransactTarget {
  tableName?: string;
}

/** One action of a transaction; table names fall back to `default_table_name`. */
export type TransactWriteItem =
  | { put: TransactTarget & WriteCondition & { item: Item } }
  | { update: TransactTarget & UpdateParams & { key: Key } }
  | { delete: TransactTarget & WriteCondition & { key: Key } }
  | { conditionCheck: TransactTarget & Required<Pick<WriteCondition, 'conditionExpression'>> & WriteCondition & { key: Key } };

export interface TransactWriteOptions {
  /** Makes the transaction idempotent for 10 minutes. */
  clientRequestToken?: string;
}


// ── the input of each DynamoDBItems operation ───────────────────────────

/** The table an item operation addresses. */
interface ItemTarget {
  /** Falls back to `default_table_name`. */
  tableName?: string;
}

export interface GetItemParams extends ItemTarget, GetItemOptions {
  key: Key;
}

export interface PutItemParams extends ItemTarget {
  item: Item;
  /** When it fails: `dynamodb.conditionFailed`, carrying the existing item. */
  condition?: WriteCondition;
}

export interface UpdateItemParams extends ItemTarget {
  key: Key;
  /** The update expression and, optionally, its condition. */
  update: UpdateParams;
}

export interface DeleteItemParams extends ItemTarget {
  key: Key;
  /** When it fails: `dynamodb.conditionFailed`, carrying the existing item. */
  condition?: WriteCondition;
}

export interface BatchWriteItemsParams extends ItemTarget, BatchOptions {
  items: readonly Item[];
}

export interface BatchGetItemsParams extends ItemTarget, BatchOptions, BatchGetReadOptions {
  keys: readonly Key[];
}

export interface TransactWriteParams extends TransactWriteOptions {
  /** Up to 100 actions, applied all or none. */
  actions: readonly TransactWriteItem[];
}
