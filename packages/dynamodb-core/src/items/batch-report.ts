import type { ChunkRunReport } from '../batch/run-chunks.ts';
import { VitalsError } from '../errors/vitals-error.ts';
import type { Item } from './types.ts';

/** What the INFO log of a finished batch says about it. */
export function batchSummary(report: ChunkRunReport<unknown, unknown>): Record<string, unknown> {
  return { requests: report.requests, retries: report.retries };
}

/**
 * Throws `dynamodb.batchIncomplete` when a batch left anything undone:
 * exactly the items not written, or the keys not read (with the items that were).
 */
export function throwIfIncomplete(
  report: ChunkRunReport<Item, Item> | ChunkRunReport<Item, never>,
  operation: 'batchWriteItems' | 'batchGetItems',
  table: string,
  requested: number,
): void {
  if (report.unprocessed.length === 0) return;
  const reason = report.failure?.reason ?? 'retryBudgetExhausted';
  const what = operation === 'batchWriteItems' ? 'items were not written' : 'keys were not read';
  throw new VitalsError(
    'dynamodb.batchIncomplete',
    `${operation} on table ${table}: ${report.unprocessed.length} of ${requested} ${what} ` +
      `(${reason === 'retryBudgetExhausted' ? 'retry budget exhausted' : 'request failed'}` +
      `${report.failure?.cause ? `: ${report.failure.cause.message}` : ''})`,
    {
      operation,
      table,
      reason,
      requested_count: requested,
      unprocessed_count: report.unprocessed.length,
      ...(operation === 'batchWriteItems'
        ? { unprocessed_items: report.unprocessed }
        : { unprocessed_keys: report.unprocessed, retrieved_items: report.results as Item[] }),
    },
    { cause: report.failure?.cause },
  );
}
