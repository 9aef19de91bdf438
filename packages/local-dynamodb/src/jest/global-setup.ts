import { startLocalDynamoDB } from '../local-dynamodb.js';
import { keepRunHandle } from './run-handle.js';
import { TEST_ENDPOINT_VARIABLE } from './test-endpoint.js';

/** Jest globalSetup: one in-memory DynamoDB Local on a free port for the whole run. */
export default async function globalSetup(): Promise<void> {
  const local = await startLocalDynamoDB();
  keepRunHandle(local);
  process.env[TEST_ENDPOINT_VARIABLE] = local.endpoint;
}
