import type { DynamoDBTables } from '@vitals/dynamodb-core';
import { allEntities } from '@vitals/models';
import { applyTablePlan, planTables, type TableAction, type TablePlanOptions } from '@vitals/repositories';
import { finishReport, type Report } from '../report/report.ts';

export interface TablesOptions {
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  pitr: boolean;
  deletionProtection: boolean;
}

/**
 * `tables plan` / `tables apply`: the plan and its application are
 * `@vitals/repositories`' own, the same that the API applies at start.
 */
export async function tablesCommand(
  db: DynamoDBTables,
  prefix: string,
  options: TablesOptions & { apply: boolean; dryRun: boolean },
): Promise<Report> {
  const started = performance.now();
  const planOptions: TablePlanOptions = {
    prefix,
    billingMode: options.billingMode,
    pitr: options.pitr,
    deletionProtection: options.deletionProtection,
  };
  const plan = await planTables(db, planOptions);
  const name = options.apply ? 'tables apply' : 'tables plan';
  if (!options.apply || options.dryRun) {
    return finishReport(
      { command: name, dry_run: options.dryRun, read: allEntities.length, written: 0, skipped: plan.skipped, details: { actions: plan.actions, steps: plan.actions.map((action) => describeTableAction(action, prefix)) } },
      started,
    );
  }
  const result = await applyTablePlan(db, planOptions, plan);
  return finishReport(
    { command: name, dry_run: false, read: allEntities.length, written: result.applied.length, skipped: result.skipped, details: { actions: result.applied, steps: result.applied.map((action) => describeTableAction(action, prefix)) } },
    started,
  );
}

/**
 * One action as an operator reads it, e.g. `add index user_id-srv_modified-index
 * (user_id, srv_modified N) to dev-bg_readings: UpdateTable, then waits until
 * it is ACTIVE (its backfill done)`.
 */
export function describeTableAction(action: TableAction, prefix: string): string {
  switch (action.action) {
    case 'createTable':
      return `create table ${action.table} (${action.billing_mode}) with its indexes`;
    case 'createIndex': {
      const definition = allEntities.find((entity) => entity.tableName(prefix) === action.table)?.table;
      const index = definition?.globalSecondaryIndexes.find((candidate) => candidate.name === action.index);
      const keys = index === undefined ? '' : ` (${[index.partitionKey, index.sortKey].flatMap((key) => (key === undefined ? [] : [`${key.name}${key.type === 'N' ? ' N' : ''}`])).join(', ')})`;
      return `add index ${action.index}${keys} to ${action.table}: UpdateTable, then waits until it is ACTIVE (its backfill done)`;
    }
    case 'awaitIndex':
      return `wait until index ${action.index} of ${action.table} is ACTIVE (now ${action.status}: DynamoDB is still building it)`;
    case 'enableTimeToLive':
      return `enable TTL on ${action.table} (attribute ${action.attribute})`;
    case 'enablePointInTimeRecovery':
      return `enable point-in-time recovery on ${action.table}`;
    case 'enableDeletionProtection':
      return `enable deletion protection on ${action.table}`;
  }
}
