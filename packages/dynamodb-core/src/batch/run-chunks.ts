import type { VitalsError } from '../errors/vitals-error.ts';
import { OperationTimeoutError } from '../service/create-clients.ts';
import { isTransient, translateError } from '../service/translate-error.ts';
import { backoffDelayMs, sleep, type RetryPolicy } from './retry-policy.ts';

/** A timer and `performance.now()` may disagree by a millisecond or so. */
const TIMER_SLACK_MS = 20;

/** What one request did with the entries it was given: the ones DynamoDB handed back undone. */
export interface ChunkResult<E, R> {
  unprocessed: E[];
  results: R[];
}

export interface ChunkRunOptions<E, R> {
  operation: string;
  table: string;
  chunks: E[][];
  concurrency: number;
  retry: RetryPolicy;
  send: (entries: E[]) => Promise<ChunkResult<E, R>>;
}

export interface ChunkRunReport<E, R> {
  results: R[];
  /** Entries not done, in no particular order; empty when everything was done. */
  unprocessed: E[];
  /** Why it stopped early, when it did. */
  failure?: { reason: 'retryBudgetExhausted' | 'requestFailed'; cause?: VitalsError };
  requests: number;
  retries: number;
}

/**
 * Sends chunks with at most `concurrency` requests in flight. A chunk's
 * unprocessed entries, and whole chunks that were throttled or hit a
 * transient failure, are retried with backoff until `retry.maxAttempts`.
 * When a chunk runs out of budget, fails for good, or times out while no
 * request of the batch has been answered for a whole operation timeout (a
 * hung DynamoDB), no new chunk is
 * started; everything not done is reported, never dropped.
 */
export async function runChunks<E, R>(options: ChunkRunOptions<E, R>): Promise<ChunkRunReport<E, R>> {
  const report: ChunkRunReport<E, R> = { results: [], unprocessed: [], requests: 0, retries: 0 };
  let next = 0;
  let lastAnswerAt = performance.now();

  const runChunk = async (entries: E[]): Promise<void> => {
    let pending = entries;
    let lastTransient: unknown;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        report.retries++;
        await sleep(backoffDelayMs(attempt - 1, options.retry));
      }
      report.requests++;
      try {
        const outcome = await options.send(pending);
        lastAnswerAt = performance.now();
        for (const result of outcome.results) report.results.push(result);
        pending = outcome.unprocessed;
        lastTransient = undefined;
      } catch (error) {
        lastTransient = error;
        // A request that timed out while no request of this batch got an answer for a whole time budget
        // means DynamoDB has stopped answering: ten more such waits would hold the caller for minutes, so
        // the batch stops and reports. Timeouts while other requests are answered are load, and retried.
        const stopped =
          error instanceof OperationTimeoutError && performance.now() - lastAnswerAt >= error.budgetMs - TIMER_SLACK_MS;
        if (!isTransient(error) || stopped) {
          report.failure ??= {
            reason: 'requestFailed',
            cause: translateError(error, { operation: options.operation, table: options.table }),
          };
          break;
        }
      }
      if (pending.length === 0) return;
      if (attempt >= options.retry.maxAttempts) {
        report.failure ??= {
          reason: 'retryBudgetExhausted',
          cause:
            lastTransient === undefined
              ? undefined
              : translateError(lastTransient, { operation: options.operation, table: options.table }),
        };
        break;
      }
    }
    for (const entry of pending) report.unprocessed.push(entry);
  };

  const worker = async (): Promise<void> => {
    while (next < options.chunks.length && report.failure === undefined) {
      await runChunk(options.chunks[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.chunks.length)) }, worker));

  for (; next < options.chunks.length; next++) {
    for (const entry of options.chunks[next]) report.unprocessed.push(entry);
  }
  return report;
}
