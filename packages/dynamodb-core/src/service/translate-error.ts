import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { VitalsError } from '../errors/vitals-error.ts';

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  Item?: Record<string, AttributeValue>;
  CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[];
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
const SERVER_SIDE = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** What to do when the SDK's default credential chain finds nothing. */
export const MISSING_CREDENTIALS =
  'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or run with an IAM role); ' +
  'a DynamoDB Local endpoint on loopback (127.0.0.1, localhost, [::1]) needs none';

/**
 * The SDK replaces an error it does not recognise as an `Error` — one made
 * in another realm, as Node's socket errors are under Jest's VM contexts —
 * with a plain `AWS SDK error wrapper for Error: connect ECONNREFUSED …`
 * that keeps only the text; the network code is read back from it.
 */
const WRAPPED_NETWORK_ERROR = new RegExp(`^AWS SDK error wrapper for .*\\b(${[...NETWORK_CODES].join('|')})\\b`);

function shape(error: unknown): AwsErrorShape {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as AwsErrorShape;
  const wrapped = e.code === undefined ? WRAPPED_NETWORK_ERROR.exec(e.message ?? '') : null;
  return wrapped === null ? e : { ...e, name: e.name, code: wrapped[1] };
}

export function isThrottling(error: unknown): boolean {
  const e = shape(error);
  return THROTTLING.has(e.name ?? '') || e.$retryable?.throttling === true;
}

/** Worth trying again later: throttling, a 5xx, or the network. Never a validation or condition failure. */
export function isTransient(error: unknown): boolean {
  const e = shape(error);
  return (
    isThrottling(error) ||
    SERVER_SIDE.has(e.name ?? '') ||
    NETWORK_CODES.has(e.code ?? '') ||
    NETWORK_CODES.has(e.name ?? '') ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

function unmarshallItem(item: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  return item === undefined ? undefined : unmarshall(item);
}

export interface ErrorContext {
  operation: string;
  table?: string;
  key?: Record<string, unknown>;
}

/**
 * Turns an SDK error into a VitalsError: condition failures carry the
 * existing item, cancelled transactions their per-item reasons, transient
 * failures become `dynamodb.unavailable`, the rest `dynamodb.requestFailed`.
 * The SDK error stays reachable as `cause`.
 */
export function translateError(error: unknown, context: ErrorContext): VitalsError {
  if (error instanceof VitalsError) return error;
  const e = shape(error);
  // Network failures are plain Errors: their code (ECONNREFUSED, …) says more than the name.
  const name = e.name !== undefined && e.name !== 'Error' ? e.name : (e.code ?? e.name ?? 'Error');
  const where = context.table ? ` on table ${context.table}` : '';
  if (name === 'ConditionalCheckFailedException') {
    return new VitalsError(
      'dynamodb.conditionFailed',
      `${context.operation}${where}: the condition was not met`,
      {
        operation: context.operation,
        table: context.table ?? '',
        key: context.key,
        existing_item: unmarshallItem(e.Item),
      },
      { cause: error },
    );
  }
  if (name === 'TransactionCanceledException') {
    const reasons = (e.CancellationReasons ?? []).map((reason, index) => ({
      index,
      code: reason.Code ?? 'Unknown',
      message: reason.Message,
      item: unmarshallItem(reason.Item),
    }));
    const failed = reasons.filter((reason) => reason.code !== 'None');
    return new VitalsError(
      'dynamodb.transactionCanceled',
      `${context.operation}: transaction cancelled (${failed.map((r) => `item ${r.index}: ${r.code}`).join(', ') || name})`,
      { operation: context.operation, reasons },
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const details = { operation: context.operation, table: context.table, aws_error: name };
  if (name === 'CredentialsProviderError') {
    // The SDK's own text lists every provider it tried; what a person needs is the fix.
    return new VitalsError('dynamodb.requestFailed', `${context.operation}${where}: ${MISSING_CREDENTIALS}`, details, { cause: error });
  }
  return isTransient(error)
    ? new VitalsError('dynamodb.unavailable', `${context.operation}${where}: DynamoDB unavailable (${name}: ${message})`, details, { cause: error })
    : new VitalsError('dynamodb.requestFailed', `${context.operation}${where}: ${name}: ${message}`, details, { cause: error });
}

/**
 * What of a failure may be logged: its code and the AWS error name. Never
 * the message — the SDK quotes offending values (marshalling errors), and
 * values may be health data.
 */
export function loggableFailure(failure: VitalsError): { code: string; aws_error?: string } {
  const details = failure.details as { aws_error?: string };
  const cause = failure.cause instanceof VitalsError ? failure.cause.details : undefined;
  const awsError = details.aws_error ?? (cause as { aws_error?: string } | undefined)?.aws_error;
  return awsError === undefined ? { code: failure.code } : { code: failure.code, aws_error: awsError };
}
