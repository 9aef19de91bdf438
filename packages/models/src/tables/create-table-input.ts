import { z } from 'zod';
import { ModelError } from '../common/model-error.ts';
import type { KeyAttribute, KeyAttributeType, TableDefinition } from './table-definition.ts';

/*
 * Structural copies of the AWS SDK v3 `CreateTableCommandInput` and
 * `UpdateTimeToLiveCommandInput` parts we emit: models must not depend on the
 * SDK, yet the result must be assignable to the SDK types as is.
 */

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyAttributeType;
}

export interface ProvisionedThroughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface GlobalSecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: 'ALL' };
  ProvisionedThroughput?: ProvisionedThroughput;
}

export interface CreateTableInput {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
  BillingMode: BillingMode;
  ProvisionedThroughput?: ProvisionedThroughput;
}

export interface UpdateTimeToLiveInput {
  TableName: string;
  TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
}

/** How to create a table: prefix and billing (on-demand unless asked; provisioned capacity defaults to 5). */
export const CreateTableOptionsSchema = z.strictObject({
  prefix: z.string().default(''),
  billingMode: z.enum(['PAY_PER_REQUEST', 'PROVISIONED']).default('PAY_PER_REQUEST'),
  readCapacityUnits: z.number().int().min(1).default(5),
  writeCapacityUnits: z.number().int().min(1).default(5),
});

export type CreateTableOptions = z.input<typeof CreateTableOptionsSchema>;

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The deployed name of a table: `prefix + name`, checked against DynamoDB's naming rules. */
export function tableName(def: Pick<TableDefinition, 'name'>, prefix = ''): string {
  const name = `${prefix}${def.name}`;
  if (!TABLE_NAME.test(name)) {
    throw new ModelError(
      'models.invalidTableName',
      `table name "${name}" is not valid: 3..255 characters of A-Z a-z 0-9 _ . -`,
      { name, prefix },
    );
  }
  return name;
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  const elements: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) elements.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return elements;
}

function attributeDefinitions(def: TableDefinition): AttributeDefinition[] {
  const types = new Map<string, KeyAttributeType>();
  const keys = [def.partitionKey, def.sortKey];
  for (const index of def.globalSecondaryIndexes) keys.push(index.partitionKey, index.sortKey);
  for (const key of keys) {
    if (!key) continue;
    const known = types.get(key.name);
    if (known !== undefined && known !== key.type) {
      throw new ModelError(
        'models.invalidTableDefinition',
        `table "${def.name}": attribute "${key.name}" is used as both ${known} and ${key.type}`,
        { table: def.name, attribute: key.name },
      );
    }
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

/**
 * A `CreateTableCommandInput` for `def`: key schema, the attribute
 * definitions every key needs (each once), GSIs projecting ALL, and billing.
 * Provisioned mode puts the same throughput on the table and every GSI.
 */
export function toCreateTableInput(def: TableDefinition, options: CreateTableOptions = {}): CreateTableInput {
  const parsed = CreateTableOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ModelError(
      'models.invalidTableOptions',
      `invalid table options: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      { issues: parsed.error.issues },
    );
  }
  const { prefix, billingMode, readCapacityUnits, writeCapacityUnits } = parsed.data;
  const throughput =
    billingMode === 'PROVISIONED'
      ? { ProvisionedThroughput: { ReadCapacityUnits: readCapacityUnits, WriteCapacityUnits: writeCapacityUnits } }
      : {};

  const input: CreateTableInput = {
    TableName: tableName(def, prefix),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    AttributeDefinitions: attributeDefinitions(def),
    BillingMode: billingMode,
    ...throughput,
  };
  // CreateTable rejects an empty GlobalSecondaryIndexes list, so omit it instead.
  if (def.globalSecondaryIndexes.length > 0) {
    input.GlobalSecondaryIndexes = def.globalSecondaryIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
      ...(billingMode === 'PROVISIONED'
        ? { ProvisionedThroughput: { ReadCapacityUnits: readCapacityUnits, WriteCapacityUnits: writeCapacityUnits } }
        : {}),
    }));
  }
  return input;
}

/**
 * The `UpdateTimeToLiveCommandInput` enabling TTL on `def`'s TTL attribute,
 * or `undefined` when the table has none (TTL is not part of CreateTable).
 */
export function toUpdateTimeToLiveInput(def: TableDefinition, prefix = ''): UpdateTimeToLiveInput | undefined {
  if (def.ttlAttribute === undefined) return undefined;
  return {
    TableName: tableName(def, prefix),
    TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
  };
}
