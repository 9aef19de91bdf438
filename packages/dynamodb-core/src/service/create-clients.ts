import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';

/**
 * The low-level client (tables) and the document client (items) of one
 * service, sharing one connection pool. Marshalling is explicit:
 * `removeUndefinedValues` lets optional fields be absent, class instances
 * are rejected rather than silently flattened, numbers unmarshal to JS numbers.
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
  const document = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  return { client, document };
}
