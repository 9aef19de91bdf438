import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';

/** Name of the SDK middleware that logs each call through the client's (default no-op) logger. */
export const SDK_LOGGER_STEP = 'loggerMiddleware';

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

/**
 * The low-level client (tables) and the document client (items) of one
 * service, sharing one connection pool. Marshalling is explicit:
 * `removeUndefinedValues` lets optional fields be absent, class instances
 * are rejected rather than silently flattened, numbers unmarshal to JS numbers.
 * The SDK's own per-call logging step is removed: nothing reads it.
 */
export function createClients(config: DynamoDBConfig): { client: DynamoDBClient; document: DynamoDBDocumentClient } {
  const client = new DynamoDBClient({
    region: config.region_name,
    endpoint: config.endpoint_url,
    credentials: credentialsOf(config),
    // A DynamoDB that does not accept connections should fail fast (readiness checks, 503s), not hang.
    requestHandler: { connectionTimeout: 3_000 },
  });
  // The SDK's logger step builds a redacted copy of every response for a logger we never give it (the
  // service logs each operation itself): a third of the client-side cost of reading a page of 288 items.
  client.middlewareStack.remove(SDK_LOGGER_STEP);
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, document };
}
