/**
 * Details carried by each error code. Other packages add their own codes by
 * augmenting this interface:
 *
 * ```ts
 * declare module '@vitals/dynamodb-core' {
 *   interface VitalsErrorDetailsByCode { 'repository.conflict': { key: object } }
 * }
 * ```
 */
export interface VitalsErrorDetailsByCode {
  /** A configuration (env or object) failed validation; every problem is listed. */
  'config.invalid': { issues: { path: string; message: string }[] };
  /** An item operation had no table name and the config has no `default_table_name`. */
  'dynamodb.noTable': { operation: string };
  /** A conditional write failed; `existing_item` is the item as it was, when there was one. */
  'dynamodb.conditionFailed': {
    operation: string;
    table: string;
    key?: Record<string, unknown>;
    existing_item?: Record<string, unknown>;
  };
  /** A transaction was cancelled; one reason per transaction item, in order. */
  'dynamodb.transactionCanceled': {
    operation: string;
    reasons: { index: number; code: string; message?: string; item?: Record<string, unknown> }[];
  };
  /**
   * A batch did not complete: the retry budget ran out, or a request failed
   * for good. Lists exactly what was not done.
   */
  'dynamodb.batchIncomplete': {
    operation: 'batchWriteItems' | 'batchGetItems';
    table: string;
    reason: 'retryBudgetExhausted' | 'requestFailed';
    requested_count: number;
    unprocessed_count: number;
    /** batchWriteItems: the items not written. */
    unprocessed_items?: Record<string, unknown>[];
    /** batchGetItems: the keys not read. */
    unprocessed_keys?: Record<string, unknown>[];
    /** batchGetItems: what was read before it stopped, so nothing already fetched is lost. */
    retrieved_items?: Record<string, unknown>[];
  };
  /** DynamoDB could not be reached or answered with a server-side / throttling failure after the SDK's retries. */
  'dynamodb.unavailable': { operation: string; table?: string; aws_error: string };
  /** DynamoDB rejected the request (validation, missing table, access denied, …). */
  'dynamodb.requestFailed': { operation: string; table?: string; aws_error: string };
}

export type VitalsErrorCode = keyof VitalsErrorDetailsByCode;

/** The one error family of Vitals: a namespaced `code`, typed `details`, and the original `cause`. */
export class VitalsError<C extends VitalsErrorCode = VitalsErrorCode> extends Error {
  override readonly name = 'VitalsError';
  readonly code: C;
  readonly details: VitalsErrorDetailsByCode[C];

  constructor(code: C, message: string, details: VitalsErrorDetailsByCode[C], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** Narrows `error` to a VitalsError, optionally of one code. */
  static is<C extends VitalsErrorCode>(error: unknown, code?: C): error is VitalsError<C> {
    return error instanceof VitalsError && (code === undefined || error.code === code);
  }
}
