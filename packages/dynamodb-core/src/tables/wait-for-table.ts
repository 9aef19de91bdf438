import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { sleep } from '../batch/retry-policy.ts';

/**
 * Polls DescribeTable until the table and all its global secondary indexes
 * are ACTIVE (`until: 'active'`), or until it no longer exists
 * (`until: 'gone'`). Checks at once, then backs off from 250 ms to 5 s.
 */
export async function waitForTable(
  client: DynamoDBClient,
  tableName: string,
  until: 'active' | 'gone',
  maxWaitSeconds: number,
): Promise<TableDescription | undefined> {
  const deadline = Date.now() + maxWaitSeconds * 1_000;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    let table: TableDescription | undefined;
    try {
      ({ Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName })));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
    if (until === 'gone' && table === undefined) return undefined;
    if (
      until === 'active' &&
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
    ) {
      return table;
    }
    if (Date.now() + delay > deadline) {
      throw new Error(
        `table ${tableName} was not ${until === 'active' ? 'ACTIVE' : 'deleted'} within ${maxWaitSeconds} s ` +
          `(status ${table?.TableStatus ?? 'not found'})`,
      );
    }
    await sleep(delay);
  }
}
