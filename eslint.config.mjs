import nx from '@nx/eslint-plugin';

/**
 * Allowed imports between projects (the layers in docs/ARCHITECTURE.md): every project carries a
 * `scope:*` tag naming what it is, and may depend only on the scopes listed
 * here. An empty list means "nothing of ours".
 */
const depConstraints = [
  {
    sourceTag: 'scope:app',
    onlyDependOnLibsWithTags: [
      'scope:repositories',
      'scope:models',
      'scope:dynamodb-core',
      'scope:local-dynamodb',
      'scope:dexcom-client',
      'scope:dexcom-simulator',
    ],
  },
  {
    sourceTag: 'scope:repositories',
    onlyDependOnLibsWithTags: ['scope:models', 'scope:dynamodb-core'],
  },
  {
    sourceTag: 'scope:models',
    onlyDependOnLibsWithTags: [],
    bannedExternalImports: ['@aws-sdk/*', 'inversify'],
  },
  { sourceTag: 'scope:dynamodb-core', onlyDependOnLibsWithTags: [] },
  // The Dexcom API client: maps records to glucose readings, stores nothing itself.
  { sourceTag: 'scope:dexcom-client', onlyDependOnLibsWithTags: ['scope:models'], bannedExternalImports: ['@aws-sdk/*'] },
  // Release tooling publishes the three packages and builds a consumer of them.
  {
    sourceTag: 'scope:release',
    onlyDependOnLibsWithTags: ['scope:repositories', 'scope:models', 'scope:dynamodb-core'],
  },
  { sourceTag: 'scope:local-dynamodb', onlyDependOnLibsWithTags: [] },
  // An independent implementation of Dexcom's documented API, there to catch the Dexcom client's
  // mistakes: it may not share code with the client, or with anything else of ours.
  { sourceTag: 'scope:dexcom-simulator', onlyDependOnLibsWithTags: [] },
];

/** Projects whose tests, too, depend on nothing of ours. */
const selfContained = ['scope:local-dynamodb', 'scope:dexcom-simulator'];

/**
 * Projects whose tests and benchmarks may also run the Dexcom simulator: the Dexcom client (to
 * prove it against an independent reading of Dexcom's documentation) and the apps. Their
 * production code may not (the apps' may already, above).
 */
const simulatorUsers = ['scope:dexcom-client', 'scope:app'];

/** Tests and benchmarks may also use the DynamoDB Local test helpers, and some the Dexcom simulator. */
const testDepConstraints = depConstraints.map((constraint) => {
  if (selfContained.includes(constraint.sourceTag)) return constraint;
  const testOnly = ['scope:local-dynamodb', ...(simulatorUsers.includes(constraint.sourceTag) ? ['scope:dexcom-simulator'] : [])];
  return { ...constraint, onlyDependOnLibsWithTags: [...new Set([...constraint.onlyDependOnLibsWithTags, ...testOnly])] };
});

const boundaries = (constraints) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    { enforceBuildableLibDependency: true, allow: [], depConstraints: constraints },
  ],
});

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/coverage', '.nx', '.data', 'bench-results'],
  },
  {
    // TypeScript sources only: each project's own eslint/jest config files
    // import the root ones by relative path, which is how they are meant to work.
    files: ['**/*.ts'],
    rules: boundaries(depConstraints),
  },
  {
    files: ['**/*.spec.ts', '**/test-support/**/*.ts', '**/bench/**/*.ts'],
    rules: boundaries(testDepConstraints),
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
