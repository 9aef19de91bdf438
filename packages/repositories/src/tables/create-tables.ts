import type { DynamoDBService } from '@vitals/dynamodb-core';
import { allTables, toCreateTableInput, type TableDefinition } from '@vitals/models';

export interface CreateTablesOptions {
  prefix: string;
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  tables?: readonly TableDefinition[];
}

/** Creates every table (all five by default) that does not exist yet; resolves with the names it created. */
export async function createMissingTables(db: DynamoDBService, options: CreateTablesOptions): Promise<string[]> {
  const existing = new Set(await db.listTables());
  const created: string[] = [];
  for (const definition of options.tables ?? allTables) {
    const input = toCreateTableInput(definition, { prefix: options.prefix });
    if (existing.has(input.TableName)) continue;
    await db.createTable({
      tableName: input.TableName,
      keySchema: input.KeySchema,
      attributeDefinitions: input.AttributeDefinitions,
      globalSecondaryIndexes: input.GlobalSecondaryIndexes,
      billingMode: options.billingMode,
    });
    created.push(input.TableName);
  }
  return created;
}
