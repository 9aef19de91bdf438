/**
 * Shared Jest configuration for every project (swc, CommonJS output).
 *
 * - `@vitals/source` is tried first so sibling packages resolve to their
 *   TypeScript sources, never to a stale `dist/` that would test old code.
 * - inversify 8 ships ESM only, so it is transformed too (Jest runs CommonJS).
 * - Decorator metadata is emitted as tsc would, or inversify cannot see
 *   constructor parameter types.
 */
const path = require('node:path');

const swcTypeScript = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
};

const swcJavaScript = {
  swcrc: false,
  module: { type: 'commonjs' },
  jsc: { target: 'es2022', keepClassNames: true, parser: { syntax: 'ecmascript' } },
};

const localDynamoDBJest = path.join(__dirname, 'packages/local-dynamodb/src/jest');

const base = {
  testEnvironment: 'node',
  // Integration tests talk to a JVM that may share two cores with other projects' runs.
  testTimeout: 30_000,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTypeScript],
    '^.+\\.(m?js|cjs)$': ['@swc/jest', swcJavaScript],
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  testEnvironmentOptions: {
    customExportConditions: ['@vitals/source', 'node', 'require', 'default'],
  },
};

/** Spread into a project's config to get one in-memory DynamoDB Local for its whole run. */
const withDynamoDBLocal = {
  globalSetup: path.join(localDynamoDBJest, 'global-setup.ts'),
  globalTeardown: path.join(localDynamoDBJest, 'global-teardown.ts'),
};

module.exports = { base, withDynamoDBLocal };
