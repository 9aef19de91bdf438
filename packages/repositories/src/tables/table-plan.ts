import { VitalsError, type DynamoDBTables } from '@vitals/dynamodb-core';
import { allEntities, toCreateTableInput, type TableDefinition } from '@vitals/models';

/** Every entity's table, in creation order. */
const entityTables: readonly TableDefinition[] = allEntities.map((entity) => entity.table);

/** What to bring an endpoint in line with, and which optional settings to ask for. */
export interface TablePlanOptions {
  /** Put in front of every table name. */
  prefix: string;
  /** For tables created now; default on-demand. Provisioned capacity comes from the service's config. */
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** Also enable point-in-time recovery. */
  pitr?: boolean;
  /** Also enable deletion protection. */
  deletionProtection?: boolean;
  /** Default: every entity's table (`allEntities`). */
  tables?: readonly TableDefinition[];
}

/** One step that brings the endpoint in line with the table definitions. */
export type TableAction =
  | { table: string; action: 'createTable'; billing_mode: 'PAY_PER_REQUEST' | 'PROVISIONED' }
  | { table: string; action: 'createIndex'; index: string }
  /** An index that exists but is not ACTIVE yet (still backfilling, e.g. after an apply that stopped waiting): apply waits for it. */
  | { table: string; action: 'awaitIndex'; index: string; status: string }
  | { table: string; action: 'enableTimeToLive'; attribute: string }
  | { table: string; action: 'enablePointInTimeRecovery' }
  | { table: string; action: 'enableDeletionProtection' };

/** A setting left out, with the reason (e.g. an endpoint without point-in-time recovery). */
export interface SkippedTableSetting {
  where: string;
  reason: string;
}

export interface TablePlan {
  actions: TableAction[];
  skipped: SkippedTableSetting[];
}

/** What differs between the definitions (under `prefix`) and the endpoint: tables, GSIs, TTL and the settings asked for. Reads only. */
export async function planTables(db: DynamoDBTables, options: TablePlanOptions): Promise<TablePlan> {
  const plan: TablePlan = { actions: [], skipped: [] };
  for (const definition of options.tables ?? entityTables) {
    const table = toCreateTableInput(definition, { prefix: options.prefix }).TableName;
    const existing = await db.describeTable({ tableName: table });
    if (existing === undefined) {
      // Its GSIs are created with it.
      plan.actions.push({ table, action: 'createTable', billing_mode: options.billingMode ?? 'PAY_PER_REQUEST' });
      addSettings(plan, definition, table, options, { ttl: undefined, pitr: false, deletionProtection: false });
      continue;
    }
    const indexes = new Map((existing.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus ?? 'ACTIVE']));
    for (const index of definition.globalSecondaryIndexes) {
      const status = indexes.get(index.name);
      if (status === undefined) plan.actions.push({ table, action: 'createIndex', index: index.name });
      else if (status !== 'ACTIVE') plan.actions.push({ table, action: 'awaitIndex', index: index.name, status });
    }
    const settings = await db.describeTableSettings({ tableName: table });
    if (options.pitr && settings.point_in_time_recovery === 'unsupported') {
      plan.skipped.push({ where: table, reason: 'point-in-time recovery: the endpoint does not support it (UnknownOperationException)' });
    }
    addSettings(plan, definition, table, options, {
      ttl: settings.ttl_attribute,
      pitr: settings.point_in_time_recovery === true || settings.point_in_time_recovery === 'unsupported',
      deletionProtection: existing.DeletionProtectionEnabled === true,
    });
  }
  return plan;
}

function addSettings(
  plan: TablePlan,
  definition: TableDefinition,
  table: string,
  options: TablePlanOptions,
  current: { ttl: string | undefined; pitr: boolean; deletionProtection: boolean },
): void {
  if (definition.ttlAttribute !== undefined && current.ttl !== definition.ttlAttribute) {
    plan.actions.push({ table, action: 'enableTimeToLive', attribute: definition.ttlAttribute });
  }
  if (options.pitr && !current.pitr) plan.actions.push({ table, action: 'enablePointInTimeRecovery' });
  if (options.deletionProtection && !current.deletionProtection) plan.actions.push({ table, action: 'enableDeletionProtection' });
}

/** Carries out a plan in order. A setting the endpoint does not support is skipped with its reason, not a crash. */
export async function applyTablePlan(
  db: DynamoDBTables,
  options: Pick<TablePlanOptions, 'prefix' | 'tables'>,
  plan: TablePlan,
): Promise<{ applied: TableAction[]; skipped: SkippedTableSetting[] }> {
  const applied: TableAction[] = [];
  const skipped = [...plan.skipped];
  const inputs = new Map(
    (options.tables ?? entityTables).map((definition) => {
      const input = toCreateTableInput(definition, { prefix: options.prefix });
      return [input.TableName, input];
    }),
  );
  for (const action of plan.actions) {
    const input = inputs.get(action.table);
    if (input === undefined) throw new Error(`table plan: "${action.table}" is not one of the planned tables`);
    try {
      switch (action.action) {
        case 'createTable':
          await db.createTable({
            tableName: action.table,
            keySchema: input.KeySchema,
            attributeDefinitions: input.AttributeDefinitions,
            globalSecondaryIndexes: input.GlobalSecondaryIndexes,
            billingMode: action.billing_mode,
          });
          break;
        case 'createIndex': {
          const created = (await db.describeTable({ tableName: action.table }))?.GlobalSecondaryIndexes ?? [];
          if (created.some((index) => index.IndexName === action.index)) continue; // created with its table
          const index = input.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === action.index);
          if (index === undefined) continue;
          const names = new Set(index.KeySchema.map((key) => key.AttributeName));
          await db.updateTable({
            tableName: action.table,
            createIndex: {
              index,
              attributeDefinitions: input.AttributeDefinitions.filter((attribute) => names.has(attribute.AttributeName)),
              provisioned: input.BillingMode === 'PROVISIONED',
            },
          });
          break;
        }
        case 'awaitIndex':
          await db.waitUntilActive({ tableName: action.table });
          break;
        case 'enableTimeToLive':
          await db.enableTimeToLive({ tableName: action.table, attributeName: action.attribute });
          break;
        case 'enablePointInTimeRecovery':
          await db.setPointInTimeRecovery({ tableName: action.table, enabled: true });
          break;
        case 'enableDeletionProtection':
          await db.updateTable({ tableName: action.table, deletionProtection: true });
          break;
      }
      applied.push(action);
    } catch (error) {
      if (VitalsError.is(error, 'dynamodb.requestFailed') && error.details.aws_error === 'UnknownOperationException') {
        skipped.push({ where: `${action.table} ${action.action}`, reason: 'the endpoint does not support it (UnknownOperationException)' });
        continue;
      }
      throw error;
    }
  }
  return { applied, skipped };
}

/**
 * Brings the endpoint in line with the table definitions: creates missing
 * tables with their GSIs, adds missing GSIs (UpdateTable, waiting until
 * each is ACTIVE: its backfill done; one still being built is waited for), enables TTL where a definition
 * has it (and PITR / deletion protection when asked). The one path for
 * `tables apply`, the API's start outside production and the test setups, so
 * none of them leaves a table that `tables plan` would still change.
 * Idempotent: a second call applies nothing.
 */
export async function ensureTables(
  db: DynamoDBTables,
  options: TablePlanOptions,
): Promise<{ applied: TableAction[]; skipped: SkippedTableSetting[] }> {
  return applyTablePlan(db, options, await planTables(db, options));
}
