export { startLocalDynamoDB, type LocalDynamoDB, type LocalDynamoDBOptions } from './local-dynamodb.js';
export { assertJavaAvailable, JavaRequiredError, JAVA_FIX, parseJavaMajor } from './java.js';
export { findFreePort } from './port.js';
export { answersAsDynamoDB } from './probe.js';
export { testDynamoDBEndpoint, TEST_ENDPOINT_VARIABLE } from './jest/test-endpoint.js';
