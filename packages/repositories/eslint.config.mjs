import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Repositories and services reach DynamoDB only through their EntityStore (see docs/ARCHITECTURE.md).
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/tables/**', 'src/test-support/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@vitals/dynamodb-core',
              importNames: ['DynamoDBService', 'DynamoDBItems', 'DynamoDBTables'],
              message: 'Use the EntityStore of your entity (EntityStores.for); only src/store and src/tables talk to DynamoDB.',
            },
          ],
        },
      ],
    },
  },
];
