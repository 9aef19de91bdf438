import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../items/types.ts';
import { chunk } from './chunk.ts';
import { runChunks, type ChunkRunReport } from './run-chunks.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** DynamoDB's limit of write requests per BatchWriteItem call. */
export const BATCH_WRITE_LIMIT = 25;

export function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
  options: { concurrency: number; retry: RetryPolicy },
): Promise<ChunkRunReport<Item, never>> {
  return runChunks<Item, never>({
    operation: 'batchWriteItems',
    table,
    chunks: chunk(items, BATCH_WRITE_LIMIT),
    concurrency: options.concurrency,
    retry: options.retry,
    send: async (entries) => {
      const output = await client.send(
        new BatchWriteCommand({
          RequestItems: { [table]: entries.map((item) => ({ PutRequest: { Item: item } })) },
        }),
      );
      const unprocessed = (output.UnprocessedItems?.[table] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [request.PutRequest.Item as Item] : [],
      );
      return { unprocessed, results: [] };
    },
  });
}
