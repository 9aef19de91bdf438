import { VitalsError, type DynamoDBService } from '@vitals/dynamodb-core';
import { allTables, toCreateTableInput, type TableDefinition } from '@vitals/models';
import { finishReport, type Report } from '../report/report.ts';

export interface TablesOptions {
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  pitr: boolean;
  deletionProtection: boolean;
}

/** One step that brings the endpoint in line with the table definitions. */
export type TableAction =
  | { table: string; action: 'createTable'; billing_mode: TablesOptions['billingMode'] }
  | { table: string; action: 'createIndex'; index: string }
  | { table: string; action: 'enableTimeToLive'; attribute: string }
  | { table: string; action: 'enablePointInTimeRecovery' }
  | { table: string; action: 'enableDeletionProtection' };

interface Plan {
  actions: TableAction[];
  skipped: { where: string; reason: string }[];
}

/** What differs between the definitions (under `prefix`) and the endpoint. Reads only. */
export async function planTables(db: DynamoDBService, prefix: string, options: TablesOptions): Promise<Plan> {
  const plan: Plan = { actions: [], skipped: [] };
  for (const definition of allTables) {
    const input = toCreateTableInput(definition, { prefix });
    const table = input.TableName;
    const existing = await db.describeTable(table);
    if (existing === undefined) {
      // Its GSIs are created with it.
      plan.actions.push({ table, action: 'createTable', billing_mode: options.billingMode });
      addSettings(plan, definition, table, options, { ttl: undefined, pitr: false, deletionProtection: false });
      continue;
    }
    const indexes = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of definition.globalSecondaryIndexes) {
      if (!indexes.has(index.name)) plan.actions.push({ table, action: 'createIndex', index: index.name });
    }
    const settings = await db.describeTableSettings(table);
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
  plan: Plan,
  definition: TableDefinition,
  table: string,
  options: TablesOptions,
  current: { ttl: string | undefined; pitr: boolean; deletionProtection: boolean },
): void {
  if (definition.ttlAttribute !== undefined && current.ttl !== definition.ttlAttribute) {
    plan.actions.push({ table, action: 'enableTimeToLive', attribute: definition.ttlAttribute });
  }
  if (options.pitr && !current.pitr) plan.actions.push({ table, action: 'enablePointInTimeRecovery' });
  if (options.deletionProtection && !current.deletionProtection) plan.actions.push({ table, action: 'enableDeletionProtection' });
}

/** Carries out a plan in order. A setting the endpoint does not support is skipped with its reason, not a crash. */
export async function applyPlan(db: DynamoDBService, prefix: string, plan: Plan): Promise<{ applied: TableAction[]; skipped: Plan['skipped'] }> {
  const applied: TableAction[] = [];
  const skipped = [...plan.skipped];
  const definitions = new Map(allTables.map((definition) => [toCreateTableInput(definition, { prefix }).TableName, definition]));
  for (const action of plan.actions) {
    const definition = definitions.get(action.table) as TableDefinition;
    const input = toCreateTableInput(definition, { prefix });
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
          const created = (await db.describeTable(action.table))?.GlobalSecondaryIndexes ?? [];
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
        case 'enableTimeToLive':
          await db.enableTimeToLive(action.table, action.attribute);
          break;
        case 'enablePointInTimeRecovery':
          await db.setPointInTimeRecovery(action.table, true);
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

export async function tablesCommand(
  db: DynamoDBService,
  prefix: string,
  options: TablesOptions & { apply: boolean; dryRun: boolean },
): Promise<Report> {
  const started = performance.now();
  const plan = await planTables(db, prefix, options);
  const name = options.apply ? 'tables apply' : 'tables plan';
  if (!options.apply || options.dryRun) {
    return finishReport(
      { command: name, dry_run: options.dryRun, read: allTables.length, written: 0, skipped: plan.skipped, details: { actions: plan.actions } },
      started,
    );
  }
  const result = await applyPlan(db, prefix, plan);
  return finishReport(
    { command: name, dry_run: false, read: allTables.length, written: result.applied.length, skipped: result.skipped, details: { actions: result.applied } },
    started,
  );
}
