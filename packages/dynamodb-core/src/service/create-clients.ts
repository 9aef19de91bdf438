import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';

/** Name of the SDK middleware that logs each call through the client's (default no-op) logger. */
export const SDK_LOGGER_STEP = 'loggerMiddleware';

/**
 * Time limits of every DynamoDB call when the config sets none. DynamoDB
 * answers in milliseconds; DynamoDB Local on a starved two-core machine was
 * measured taking seconds for a burst of 16 concurrent requests. 5 s per
 * attempt trips on an endpoint that has stopped answering, not on a slow one
 * (a spurious timeout is retried, adding load where there is already too
 * much), and 8 s in all keeps an API answer to a DynamoDB that hangs within
 * a few seconds (a batch counts its budget from the last answer, so a large
 * batch that is progressing is not cut). Lower both against DynamoDB itself.
 */
export const DEFAULT_TIMEOUTS = { connect_timeout_ms: 3_000, request_timeout_ms: 5_000, operation_timeout_ms: 8_000 } as const;

/** Dummy credentials for DynamoDB Local, which accepts any (the same ones embedded mode uses). */
export const LOOPBACK_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** `127.0.0.0/8`, `localhost` and `[::1]`: an endpoint there is DynamoDB Local, never AWS. */
export function isLoopbackEndpoint(endpointUrl: string | undefined): boolean {
  if (endpointUrl === undefined) return false;
  const host = new URL(endpointUrl).hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function credentialsOf(config: DynamoDBConfig): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (config.aws_access_key_id !== undefined && config.aws_secret_access_key !== undefined) {
    return { accessKeyId: config.aws_access_key_id, secretAccessKey: config.aws_secret_access_key };
  }
  // Without this the SDK's default chain fails on a developer machine that has no AWS credentials at all.
  return isLoopbackEndpoint(config.endpoint_url) ? LOOPBACK_CREDENTIALS : undefined;
}

type Send = (command: never, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;

/**
 * A call that got no answer within its whole budget, retries included. Named
 * `TimeoutError` like the SDK's own, so it is `dynamodb.unavailable`; its own
 * class so batches stop on it rather than spend their retry budget waiting
 * on an endpoint that has stopped answering.
 */
export class OperationTimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(
    /** The budget that ran out. */
    readonly budgetMs: number,
    options?: { cause?: unknown },
  ) {
    super(`DynamoDB did not answer within ${budgetMs} ms`, options);
  }
}

/**
 * Gives every `send` of `client` an abort signal that fires after
 * `budgetMs`: the SDK's per-attempt timeout bounds one request, but not the
 * retries after it. The signal reaches both the retry loop and the HTTP
 * handler, so the socket is closed, and the caller gets a `TimeoutError`
 * (transient, like the SDK's own) instead of the SDK's generic AbortError.
 */
function bindOperationBudget(client: { send: Send }, budgetMs: number): void {
  // Looked up on the prototype at each call, so a class-level stub (aws-sdk-client-mock) set up later still applies.
  const prototype = Object.getPrototypeOf(client) as { send: Send };
  const send: Send = (command, options) => prototype.send.call(client, command, options);
  client.send = async (command, options) => {
    if (options?.abortSignal !== undefined) return send(command, options);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budgetMs);
    try {
      return await send(command, { ...options, abortSignal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      throw new OperationTimeoutError(budgetMs, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The low-level client (tables) and the document client (items) of one
 * service, sharing one connection pool. Marshalling is explicit:
 * `removeUndefinedValues` lets optional fields be absent, class instances
 * are rejected rather than silently flattened, numbers unmarshal to JS numbers.
 * The SDK's own per-call logging step is removed: nothing reads it. Every
 * call is bounded in time (connect, each attempt, the whole operation).
 */
export function createClients(config: DynamoDBConfig): { client: DynamoDBClient; document: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({
    region: config.region_name,
    endpoint: config.endpoint_url,
    credentials: credentialsOf(config),
    requestHandler: {
      // A DynamoDB that does not accept connections, or accepts and never answers (a stopped process),
      // must fail fast (readiness checks, 503s), not hang. Without `throwOnRequestTimeout` the SDK only warns.
      connectionTimeout: config.connect_timeout_ms ?? DEFAULT_TIMEOUTS.connect_timeout_ms,
      requestTimeout: config.request_timeout_ms ?? DEFAULT_TIMEOUTS.request_timeout_ms,
      throwOnRequestTimeout: true,
    },
  });
  // The SDK's logger step builds a redacted copy of every response for a logger we never give it (the
  // service logs each operation itself): a third of the client-side cost of reading a page of 288 items.
  client.middlewareStack.remove(SDK_LOGGER_STEP);
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  const budget = config.operation_timeout_ms ?? DEFAULT_TIMEOUTS.operation_timeout_ms;
  bindOperationBudget(client as unknown as { send: Send }, budget);
  bindOperationBudget(document as unknown as { send: Send }, budget);
  return { client, document };
}
