/** Environment variable through which the Jest global setup hands its endpoint to the test workers. */
export const TEST_ENDPOINT_VARIABLE = 'VITALS_TEST_DYNAMODB_ENDPOINT';

/**
 * The endpoint of the DynamoDB Local started by the Jest global setup. Fails
 * loudly when the project's Jest config does not use that setup, so an
 * integration test can never silently run against nothing.
 */
export function testDynamoDBEndpoint(): string {
  const endpoint = process.env[TEST_ENDPOINT_VARIABLE];
  if (!endpoint) {
    throw new Error(
      `${TEST_ENDPOINT_VARIABLE} is not set: add withDynamoDBLocal from jest.preset.cjs to this project's jest.config.cjs`,
    );
  }
  return endpoint;
}
