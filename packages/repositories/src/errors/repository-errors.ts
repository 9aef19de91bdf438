import { VitalsError, type Key } from '@vitals/dynamodb-core';

/** Error codes of @vitals/repositories, added to the one VitalsError family. */
declare module '@vitals/dynamodb-core' {
  interface VitalsErrorDetailsByCode {
    /** A pagination cursor that is malformed, tampered with, from another query, or older than what it resumes is kept (a change feed's). */
    'repository.invalidCursor': { reason: 'malformed' | 'tampered' | 'foreign' | 'expired' };
    /** Optimistic locking: the item changed (or appeared, or vanished) since it was read. */
    'repository.conflict': {
      entity: string;
      key: Key;
      expected_version?: number;
      actual_version?: number;
    };
    /** The item an operation needs does not exist. */
    'repository.notFound': { entity: string; key: Key };
    /** A stored item failed its schema while strict mode was asked. */
    'repository.invalidItem': { entity: string; key: Key; issues: string[] };
    /** Input to a repository failed validation. */
    'repository.invalidInput': { entity: string; issues: { path: string; message: string }[] };
    /** A state change the entity's life cycle does not allow (e.g. completing a cancelled job). */
    'repository.invalidTransition': { entity: string; key: Key; from: string; to: string };
  }
}

/*
 * One constructor per code, so that every repository words an error the same
 * way: `<entity> <key as JSON> <what happened>`, with the details the code
 * declares above. `cause` is the error that revealed it (a failed DynamoDB
 * condition, a rejected key), kept for logs.
 */

export interface ConflictOptions {
  /**
   * For versioned entities: the version the writer expected and the one
   * stored now (`actual` is any value read from the stored item; only a
   * number is reported). Given, the details carry `expected_version` and
   * `actual_version`; absent, neither.
   */
  versions?: { expected: number | undefined; actual: unknown };
  /** What happened instead of the default "was changed by someone else". */
  reason?: string;
  cause?: unknown;
}

/** `repository.conflict`: the item changed since the writer read it (or another worker holds it). */
export function conflict(entity: string, key: Key, options: ConflictOptions = {}): VitalsError<'repository.conflict'> {
  const { versions } = options;
  return new VitalsError(
    'repository.conflict',
    `${entity} ${JSON.stringify(key)} ${options.reason ?? 'was changed by someone else'}`,
    versions === undefined
      ? { entity, key }
      : {
          entity,
          key,
          expected_version: versions.expected,
          actual_version: typeof versions.actual === 'number' ? versions.actual : undefined,
        },
    { cause: options.cause },
  );
}

/** `repository.notFound`: the item an operation needs does not exist. */
export function notFound(entity: string, key: Key, cause?: unknown): VitalsError<'repository.notFound'> {
  return new VitalsError('repository.notFound', `${entity} ${JSON.stringify(key)} does not exist`, { entity, key }, { cause });
}

export interface InvalidItemOptions {
  /** The table the item was read from, named in the message. */
  table?: string;
  /** The item is what an update just wrote: the message says so instead of listing the issues. */
  afterUpdate?: boolean;
  cause?: unknown;
}

/** `repository.invalidItem`: a stored item fails its schema; `issues` as {@link schemaIssues} words them. */
export function invalidItem(
  entity: string,
  key: Key,
  issues: string[],
  options: InvalidItemOptions = {},
): VitalsError<'repository.invalidItem'> {
  const where = options.table === undefined ? '' : ` in ${options.table}`;
  const what = options.afterUpdate === true ? 'is invalid after an update' : `is invalid: ${issues.join('; ')}`;
  return new VitalsError('repository.invalidItem', `${entity} ${JSON.stringify(key)}${where} ${what}`, { entity, key, issues }, {
    cause: options.cause,
  });
}

/** `repository.invalidTransition`: the item's state (`from`) does not allow the change to `to`. */
export function invalidTransition(
  entity: string,
  key: Key,
  from: string,
  to: string,
  cause?: unknown,
): VitalsError<'repository.invalidTransition'> {
  return new VitalsError(
    'repository.invalidTransition',
    `${entity} ${JSON.stringify(key)} is ${from} and cannot become ${to}`,
    { entity, key, from, to },
    { cause },
  );
}

/**
 * `repository.invalidInput`: one issue per bad path. The message lists them
 * (`Invalid <entity>: <path>: <message>; …`) unless `message` is given.
 */
export function invalidInput(
  entity: string,
  issues: { path: string; message: string }[],
  cause?: unknown,
  message?: string,
): VitalsError<'repository.invalidInput'> {
  return new VitalsError(
    'repository.invalidInput',
    message ?? `Invalid ${entity}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { entity, issues },
    { cause },
  );
}

/** The issues of a schema that rejected a stored item, as `repository.invalidItem` lists them: `<path>: <message>`. */
export function schemaIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(item)'}: ${issue.message}`);
}
