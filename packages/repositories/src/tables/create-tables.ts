import type { DynamoDBTables } from '@vitals/dynamodb-core';
import type { TableDefinition } from '@vitals/models';
import { ensureTables } from './table-plan.ts';

export interface CreateTablesOptions {
  prefix: string;
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  tables?: readonly TableDefinition[];
}

/**
 * Creates every table (all five by default) that does not exist yet, with
 * its GSIs and TTL, and brings existing ones in line the same way
 * (`ensureTables`); resolves with the names of the tables it created.
 */
export async function createMissingTables(db: DynamoDBTables, options: CreateTablesOptions): Promise<string[]> {
  const { applied } = await ensureTables(db, options);
  return applied.filter((action) => action.action === 'createTable').map((action) => action.table);
}
