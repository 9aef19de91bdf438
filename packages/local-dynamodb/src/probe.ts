import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/**
 * Whether a DynamoDB API answers at `endpoint`: one ListTables call, no SDK
 * retries, short timeouts. Any answer that is not a DynamoDB response counts
 * as "no".
 */
export async function answersAsDynamoDB(endpoint: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Polls `answersAsDynamoDB` every `intervalMs` until it says yes, `abort()` says stop, or the deadline passes. */
export async function waitUntilAnswering(
  endpoint: string,
  options: { timeoutMs: number; intervalMs?: number; abort?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw aborted;
    if (await answersAsDynamoDB(endpoint, Math.min(1_000, interval * 10))) return;
    if (Date.now() > deadline) {
      throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
