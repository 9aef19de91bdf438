import type {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
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

export interface CreateTableParams {
  tableName: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  /** Provisioned throughput is filled in from the config when billing is PROVISIONED. */
  globalSecondaryIndexes?: Omit<GlobalSecondaryIndex, 'ProvisionedThroughput'>[];
  /** Default PAY_PER_REQUEST; PROVISIONED uses the config's read/write capacity units. */
  billingMode?: BillingMode;
  /** How long to wait for ACTIVE. Default 300 s. */
  maxWaitSeconds?: number;
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

/** TTL and point-in-time recovery of a table, as the endpoint reports them. */
export interface TableSettings {
  /** The TTL attribute when TTL is enabled (or enabling). */
  ttl_attribute?: string;
  /** `'unsupported'` when the endpoint has no continuous-backups API (DynamoDB Local). */
  point_in_time_recovery: boolean | 'unsupported';
}

/** One change to a table; DynamoDB accepts one kind of change per UpdateTable call. */
export interface UpdateTableParams {
  tableName: string;
  deletionProtection?: boolean;
  billingMode?: BillingMode;
  /** Adds a GSI; `attributeDefinitions` must cover its key attributes. */
  createIndex?: {
    index: Omit<GlobalSecondaryIndex, 'ProvisionedThroughput'>;
    attributeDefinitions: AttributeDefinition[];
    /** Give the index the config's capacity units (for PROVISIONED tables). */
    provisioned?: boolean;
  };
  /** How long to wait for ACTIVE. Default 300 s. */
  maxWaitSeconds?: number;
}
