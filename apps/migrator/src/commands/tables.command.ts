import type { DynamoDBTables } from '@vitals/dynamodb-core';
import { allEntities } from '@vitals/models';
import { applyTablePlan, planTables, type TablePlanOptions } from '@vitals/repositories';
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
      { command: name, dry_run: options.dryRun, read: allEntities.length, written: 0, skipped: plan.skipped, details: { actions: plan.actions } },
      started,
    );
  }
  const result = await applyTablePlan(db, planOptions, plan);
  return finishReport(
    { command: name, dry_run: false, read: allEntities.length, written: result.applied.length, skipped: result.skipped, details: { actions: result.applied } },
    started,
  );
}
