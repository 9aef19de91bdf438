import type { Logger } from '../logger/logger.ts';
import { loggableFailure, translateError, type ErrorContext } from './translate-error.ts';

/**
 * The reference logging pattern, in one place: DEBUG when an operation
 * starts, INFO when it is done (with its counts and duration), ERROR with the
 * context before the (translated) error is rethrown.
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
    log.info(
      { ...fields, ...summarize?.(result), duration_ms: Math.round(performance.now() - started) },
      `${context.operation} done`,
    );
    return result;
  } catch (error) {
    const failure = translateError(error, context);
    log.error(
      { ...fields, ...loggableFailure(failure), duration_ms: Math.round(performance.now() - started) },
      `${context.operation} failed`,
    );
    throw failure;
  }
}
