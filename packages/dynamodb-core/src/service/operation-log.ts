import type { Logger } from '../logger/logger.ts';
import { loggableFailure, translateError, type ErrorContext } from './translate-error.ts';

const EXPECTED_OUTCOMES: ReadonlySet<string> = new Set(['dynamodb.conditionFailed', 'dynamodb.transactionCanceled']);

/**
 * Item operations — the steady traffic of every request and job — say they
 * are done at DEBUG, so that a process at INFO writes no line per call (in
 * the sync worker's benchmark those lines cost it about as much CPU as
 * signing its requests). Table administration and `ping` are rare and worth
 * seeing: INFO. Failures are ERROR either way.
 */
const ITEM_OPERATIONS: ReadonlySet<string> = new Set([
  'getItem',
  'putItem',
  'updateItem',
  'deleteItem',
  'batchWriteItems',
  'batchGetItems',
  'transactWrite',
  'query',
  'scan',
]);

/**
 * How every DynamoDB operation is logged, in one place: DEBUG when an operation
 * starts, DEBUG (item operations) or INFO (the others) when it is done, with its
 * counts and duration, ERROR with the context before the (translated) error is rethrown.
 */
export async function logged<T>(
  log: Logger,
  context: ErrorContext & Record<string, unknown>,
  run: () => Promise<T>,
  summarize?: (result: T) => Record<string, unknown>,
): Promise<T> {
  const { key: _key, ...fields } = context;
  log.debug(fields, `${context.operation} started`);
  const started = performance.now();
  try {
    const result = await run();
    log[ITEM_OPERATIONS.has(context.operation) ? 'debug' : 'info'](
      { ...fields, ...summarize?.(result), duration_ms: Math.round(performance.now() - started) },
      `${context.operation} done`,
    );
    return result;
  } catch (error) {
    const failure = translateError(error, context);
    const entry = { ...fields, ...loggableFailure(failure), duration_ms: Math.round(performance.now() - started) };
    // A failed condition is how optimistic locking and job claiming say "someone else was first":
    // an expected outcome the caller handles, not an error to page anyone about.
    if (EXPECTED_OUTCOMES.has(failure.code)) log.info(entry, `${context.operation} condition not met`);
    else log.error(entry, `${context.operation} failed`);
    throw failure;
  }
}
