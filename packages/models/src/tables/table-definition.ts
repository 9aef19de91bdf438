/** DynamoDB scalar attribute types usable in keys. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** One key attribute: its name and DynamoDB type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** A global secondary index; every index of ours projects ALL attributes. */
export interface GlobalSecondaryIndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** A table as data: the single source for creating, diffing and querying it. */
export interface TableDefinition {
  /** Name without the deployment prefix (an entity's `table`). */
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /** Epoch-seconds attribute DynamoDB TTL deletes by, if the table has one. */
  readonly ttlAttribute?: string;
}
