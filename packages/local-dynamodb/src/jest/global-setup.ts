import { startLocalDynamoDB } from '../local-dynamodb.ts';
import { keepRunHandle } from './run-handle.ts';
import { TEST_ENDPOINT_VARIABLE } from './test-endpoint.ts';

/** Jest globalSetup: one in-memory DynamoDB Local on a free port for the whole run. */
export default async function globalSetup(): Promise<void> {
  const local = await startLocalDynamoDB();
  keepRunHandle(local);
  process.env[TEST_ENDPOINT_VARIABLE] = local.endpoint;
}
