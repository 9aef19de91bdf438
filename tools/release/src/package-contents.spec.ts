import { rm } from 'node:fs/promises';
import { checkPackageContents } from './package-contents.ts';
import { fileTree } from './test-support/file-tree.ts';

const manifest = {
  name: '@vitals/example',
  version: '1.0.0',
  type: 'module',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  types: './dist/index.d.ts',
  dependencies: { pino: '^10.4.0' },
  peerDependencies: { zod: '^4.6.7', '@aws-sdk/client-dynamodb': '^3.1162.0' },
};
const map = (source: string) => JSON.stringify({ version: 3, sources: [source], sourcesContent: ['export {};'], mappings: '' });
const goodPackage = {
  'package.json': manifest,
  'README.md': '# example, built with --conditions=@vitals/source in the workspace',
  'dist/index.js': [
    "import { pino } from 'pino';",
    "import { z } from 'zod';",
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { readFile } from 'node:fs/promises';",
    "import { join } from 'path';",
    "export * from './a/b.js';",
    "export const lazy = () => import('./a/b.js');",
  ].join('\n'),
  'dist/index.js.map': map('../src/index.ts'),
  'dist/index.d.ts': "export * from './a/b.ts';\nexport declare const lazy: () => Promise<typeof import('./a/b.js')>;",
  'dist/a/b.js': 'export const b = 1;',
  'dist/a/b.js.map': map('../../src/a/b.ts'),
  'dist/a/b.d.ts': "import type { z } from 'zod';\nexport declare const b: z.ZodNumber;",
};

const dirs: string[] = [];
async function check(files: Record<string, string | object>, forbidden: string[] = []) {
  const dir = await fileTree(files);
  dirs.push(dir);
  return checkPackageContents(dir, forbidden);
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe(checkPackageContents.name, () => {
  it('finds nothing wrong with a package of built files whose imports all resolve to itself, builtins or declared packages', async () => {
    expect(await check(goodPackage, ['/work/main', '@vitals/source'])).toEqual([]);
  });

  it('reports files a consumer does not need', async () => {
    expect(
      await check({ ...goodPackage, 'src/index.ts': 'export {};', 'dist/tsconfig.lib.tsbuildinfo': '{}', 'dist/index.spec.ts': '' }),
    ).toEqual([
      { file: 'dist/index.spec.ts', problem: 'is not something a consumer needs (only dist/*.js, *.d.ts, *.js.map and docs)' },
      { file: 'dist/tsconfig.lib.tsbuildinfo', problem: 'is not something a consumer needs (only dist/*.js, *.d.ts, *.js.map and docs)' },
      { file: 'src/index.ts', problem: 'is not something a consumer needs (only dist/*.js, *.d.ts, *.js.map and docs)' },
    ]);
  });

  it('reports entry points that are not in the package, under any condition', async () => {
    const exports = { '.': { '@vitals/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/missing.js' } };
    expect(await check({ ...goodPackage, 'package.json': { ...manifest, exports } })).toEqual([
      { file: 'package.json', problem: 'exports["."]["@vitals/source"] points at ./src/index.ts, which is not in the package' },
      { file: 'package.json', problem: 'exports["."]["default"] points at ./dist/missing.js, which is not in the package' },
    ]);
  });

  it('reports relative imports that leave the package or miss, in code and in declarations', async () => {
    expect(
      await check({
        ...goodPackage,
        'dist/index.js': "export * from '../src/index.ts';\nexport * from './a/c.js';",
        'dist/index.d.ts': "export * from './a/c.ts';\nexport type B = import('./a/missing.js').B;",
      }),
    ).toEqual([
      { file: 'dist/index.d.ts', problem: 'imports ./a/c.ts, which is not in the package' },
      { file: 'dist/index.d.ts', problem: 'imports ./a/missing.js, which is not in the package' },
      { file: 'dist/index.js', problem: 'imports ../src/index.ts, which is not in the package' },
      { file: 'dist/index.js', problem: 'imports ./a/c.js, which is not in the package' },
    ]);
  });

  it('reports packages imported but not declared as dependencies or peers', async () => {
    expect(
      await check({
        ...goodPackage,
        'dist/a/b.js': "import { Container } from 'inversify';\nimport '@vitals/local-dynamodb/testing';\nexport const b = 1;",
      }),
    ).toEqual([
      { file: 'dist/a/b.js', problem: 'imports inversify, but inversify is not a dependency or peer dependency' },
      {
        file: 'dist/a/b.js',
        problem: 'imports @vitals/local-dynamodb/testing, but @vitals/local-dynamodb is not a dependency or peer dependency',
      },
    ]);
  });

  it('reports source maps that need the unpublished sources', async () => {
    const withoutContent = JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' });
    expect(await check({ ...goodPackage, 'dist/index.js.map': withoutContent })).toEqual([
      { file: 'dist/index.js.map', problem: 'needs ../src/index.ts to show the source; embed it (inlineSources)' },
    ]);
  });

  it('reports built files that name a workspace-only place', async () => {
    const leaking = JSON.stringify({ version: 3, sources: ['/work/main/packages/x/src/index.ts'], sourcesContent: ['x'], mappings: '' });
    expect(await check({ ...goodPackage, 'dist/index.js.map': leaking }, ['/work/main'])).toEqual([
      { file: 'dist/index.js.map', problem: 'mentions /work/main' },
    ]);
  });
});
