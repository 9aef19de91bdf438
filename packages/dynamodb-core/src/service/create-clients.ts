import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';

/** Name of the SDK middleware that logs each call through the client's (default no-op) logger. */
export const SDK_LOGGER_STEP = 'loggerMiddleware';

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
    credentials:
      config.aws_access_key_id !== undefined && config.aws_secret_access_key !== undefined
        ? { accessKeyId: config.aws_access_key_id, secretAccessKey: config.aws_secret_access_key }
        : undefined,
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
