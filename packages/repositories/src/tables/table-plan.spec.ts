import type { DynamoDBTables } from '@vitals/dynamodb-core';
import { glucoseReadingEntity } from '@vitals/models';
import { applyTablePlan, planTables } from './table-plan.ts';

/**
 * DynamoDB Local builds an index at once, so an index still CREATING (a big
 * table's backfill, after an apply that stopped waiting) is played by a fake.
 */
function tablesWithIndexes(status: Record<string, string>, calls: string[]): DynamoDBTables {
  return {
    describeTable: async () => ({
      TableStatus: 'ACTIVE',
      GlobalSecondaryIndexes: Object.entries(status).map(([IndexName, IndexStatus]) => ({ IndexName, IndexStatus })),
    }),
    describeTableSettings: async () => ({ ttl_attribute: 'expires_at', point_in_time_recovery: false }),
    waitUntilActive: async ({ tableName }: { tableName: string }) => {
      calls.push(`waitUntilActive ${tableName}`);
      return {};
    },
  } as unknown as DynamoDBTables;
}

describe('planTables', () => {
  it('when an index exists but is still CREATING, plans to wait for it, and applying waits until the table is ACTIVE', async () => {
    const calls: string[] = [];
    const db = tablesWithIndexes({ 'user_id-created_at-index': 'ACTIVE', 'user_id-srv_modified-index': 'CREATING' }, calls);
    const options = { prefix: 'p-', tables: [glucoseReadingEntity.table] };
    const plan = await planTables(db, options);
    expect(plan.actions).toEqual([{ table: 'p-bg_readings', action: 'awaitIndex', index: 'user_id-srv_modified-index', status: 'CREATING' }]);
    expect((await applyTablePlan(db, options, plan)).applied).toEqual(plan.actions);
    expect(calls).toEqual(['waitUntilActive p-bg_readings']);
  });
});
