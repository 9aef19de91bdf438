/** Every code a {@link ModelError} can carry, namespaced by package. */
export type ModelErrorCode =
  | 'models.invalidKey'
  | 'models.invalidTableName'
  | 'models.invalidTableOptions'
  | 'models.invalidTableDefinition'
  | 'models.invalidEntityDefinition'
  | 'models.invalidHealthEntry'
  | 'models.invalidStatisticsWindow'
  | 'models.invalidTimeZone';

/**
 * The one error class of `@vitals/models`, thrown for programmer errors only
 * (a key built from a malformed value, an impossible table option). Data
 * problems in user input are returned as values (zod issues or
 * {@link ParseResult}), never thrown.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';

  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
