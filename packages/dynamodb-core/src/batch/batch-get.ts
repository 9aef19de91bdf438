import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Item, Key } from '../items/types.ts';
import { chunk } from './chunk.ts';
import { runChunks, type ChunkRunReport } from './run-chunks.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** DynamoDB's limit of keys per BatchGetItem call. */
export const BATCH_GET_LIMIT = 100;

export interface BatchGetReadOptions {
  consistentRead?: boolean;
  projectionExpression?: string;
  expressionAttributeNames?: Record<string, string>;
}

export function batchGet(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  options: { concurrency: number; retry: RetryPolicy; read: BatchGetReadOptions },
): Promise<ChunkRunReport<Key, Item>> {
  return runChunks<Key, Item>({
    operation: 'batchGetItems',
    table,
    chunks: chunk(keys, BATCH_GET_LIMIT),
    concurrency: options.concurrency,
    retry: options.retry,
    send: async (entries) => {
      const output = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: entries,
              ConsistentRead: options.read.consistentRead,
              ProjectionExpression: options.read.projectionExpression,
              ExpressionAttributeNames: options.read.expressionAttributeNames,
            },
          },
        }),
      );
      return {
        results: (output.Responses?.[table] ?? []) as Item[],
        unprocessed: (output.UnprocessedKeys?.[table]?.Keys ?? []) as Key[],
      };
    },
  });
}
