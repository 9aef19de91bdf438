export { PortInUseError, startLocalDynamoDB, type LocalDynamoDB, type LocalDynamoDBOptions } from './local-dynamodb.ts';
export { assertJavaAvailable, JavaRequiredError, JAVA_FIX, parseJavaMajor } from './java.ts';
export { captureTail, terminate } from './child-process.ts';
export { findFreePort, isPortOpen } from './port.ts';
export { answersAsDynamoDB } from './probe.ts';
export { testDynamoDBEndpoint, TEST_ENDPOINT_VARIABLE } from './jest/test-endpoint.ts';
export { figures, interleaved, percentile, round, time, type Figures } from './bench/stats.ts';
export { readmeExportCoverage } from './testing/readme-exports.ts';
export { dynamoDBLocalProcesses, processes, type ProcessInfo } from './testing/processes.ts';
