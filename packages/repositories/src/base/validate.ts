import { ModelError } from '@vitals/models';
import type { z } from 'zod';
import { invalidInput } from '../errors/repository-errors.ts';

/** Parses repository input; every problem becomes one `repository.invalidInput` error with a path per issue. */
export function validInput<S extends z.ZodType>(schema: S, input: unknown, entity: string, pathPrefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(input)',
    message: issue.message,
  }));
  throw invalidInput(entity, issues);
}

/** Runs a key builder; a key value it rejects (a malformed id, date or time from a caller) is `repository.invalidInput`. */
export function validKey<K>(entity: string, build: () => K): K {
  try {
    return build();
  } catch (error) {
    if (error instanceof ModelError) {
      throw invalidInput(entity, [{ path: String((error.details as { attribute?: unknown }).attribute ?? 'key'), message: error.message }], error);
    }
    throw error;
  }
}
