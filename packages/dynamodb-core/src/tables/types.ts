import type { AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';

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

// ── the input of each DynamoDBTables operation ──────────────────────────

/** One table, by its full name (table operations never fall back to `default_table_name`). */
export interface TableParams {
  tableName: string;
}

export interface DeleteTableParams extends TableParams {
  /** How long to wait for the table to be gone (or, for `waitUntilActive`, ACTIVE). Default 300 s. */
  maxWaitSeconds?: number;
}

export interface EnableTimeToLiveParams extends TableParams {
  /** The attribute holding each item's expiry, in epoch seconds. */
  attributeName: string;
}

export interface SetPointInTimeRecoveryParams extends TableParams {
  enabled: boolean;
}
