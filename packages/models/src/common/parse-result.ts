/** One value of the raw notation that did not parse, with where it was found. */
export interface ParseProblem {
  /** Where the record is, as given by the caller: `0523/1300`, `2025-05-23/1300`, `row 12`. */
  readonly path: string;
  /** Field path inside the record: `pain.back`, `bpr`. */
  readonly field: string;
  /** The offending value, as found. */
  readonly value: unknown;
  /** `0523/1300: pain.back "6-x-8" is not a pain level` */
  readonly message: string;
  /** What a good value looks like, for people fixing the data. */
  readonly expected: string;
}

/** The outcome of a parser: a value, or one problem; parsers never throw on bad data. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ParseProblem };

/** Where a value sits: record path and field path, both as the caller names them. */
export interface ParseLocation {
  readonly path?: string;
  readonly field?: string;
}

/** Quotes a value for a message as JSON does, so quotes and control characters stay visible. */
function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

/** Builds a failed {@link ParseResult} whose message reads `path: field "value" is not …`. */
export function parseFailure(
  value: unknown,
  at: ParseLocation,
  defaultField: string,
  what: string,
  expected: string,
): { readonly ok: false; readonly error: ParseProblem } {
  const path = at.path ?? '';
  const field = at.field ?? defaultField;
  const prefix = path === '' ? '' : `${path}: `;
  return {
    ok: false,
    error: {
      path,
      field,
      value,
      message: `${prefix}${field} ${quote(value)} is not ${what}`,
      expected,
    },
  };
}
