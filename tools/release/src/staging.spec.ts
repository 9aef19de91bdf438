import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ReleaseError } from './published-manifest.ts';
import { listFiles, stagePackage } from './staging.ts';
import { fileTree } from './test-support/file-tree.ts';

const manifest = {
  name: '@vitals/example',
  version: '1.2.3',
  exports: { '.': { '@vitals/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
  files: ['dist', '!dist/**/*.tsbuildinfo', 'CHANGELOG.md'],
  devDependencies: { zod: '4.6.7' },
  nx: { tags: ['type:lib'] },
};
const project = {
  'packages/example/package.json': manifest,
  'packages/example/README.md': '# example',
  'packages/example/src/index.ts': 'export * from "./a.ts";',
  'packages/example/src/a.ts': 'export const a = 1;',
  'packages/example/src/a.spec.ts': 'test("a", () => {});',
  'packages/example/dist/index.js': 'export * from "./a.js";',
  'packages/example/dist/index.js.map': '{}',
  'packages/example/dist/index.d.ts': 'export * from "./a.ts";',
  'packages/example/dist/a.js': 'export const a = 1;',
  'packages/example/dist/a.d.ts': 'export declare const a = 1;',
  'packages/example/dist/tsconfig.lib.tsbuildinfo': '{}',
};

const roots: string[] = [];
async function workspace(files: Record<string, string | object>): Promise<string> {
  const root = await fileTree(files);
  roots.push(root);
  return root;
}
async function problemsOf(root: string): Promise<readonly string[]> {
  const error: unknown = await stagePackage(root, 'packages/example').then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof ReleaseError)) throw new Error(`expected a ReleaseError, got ${String(error)}`);
  return error.problems;
}
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

describe(stagePackage.name, () => {
  it('stages the published manifest, the docs and the built files (no build info) under dist/<projectRoot>', async () => {
    const root = await workspace({ ...project, 'packages/example/CHANGELOG.md': '## 1.2.3' });
    const staged = await stagePackage(root, 'packages/example');

    expect(staged).toEqual({ name: '@vitals/example', version: '1.2.3', dir: join(root, 'dist/packages/example') });
    expect(await listFiles(staged.dir)).toEqual([
      'CHANGELOG.md',
      'README.md',
      'dist/a.d.ts',
      'dist/a.js',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/index.js.map',
      'package.json',
    ]);
    expect(JSON.parse(await readFile(join(staged.dir, 'package.json'), 'utf8'))).toEqual({
      name: '@vitals/example',
      version: '1.2.3',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist', '!dist/**/*.tsbuildinfo', 'CHANGELOG.md'],
    });
  });

  it('replaces what an earlier staging left', async () => {
    const root = await workspace({ ...project, 'dist/packages/example/dist/old.js': 'stale' });
    const staged = await stagePackage(root, 'packages/example');
    expect(await listFiles(staged.dir)).not.toContain('dist/old.js');
  });

  describe('when the build cannot be published', () => {
    it('refuses output whose source is gone, and files tsc did not make', async () => {
      const root = await workspace({
        ...project,
        'packages/example/dist/removed.js': 'export {};',
        'packages/example/dist/index.d.ts.map': '{}',
      });
      expect(await problemsOf(root)).toEqual([
        'dist/index.d.ts.map is not build output of src/ (remove dist/ and rebuild)',
        'dist/removed.js is stale: src/removed.ts no longer exists (remove dist/ and rebuild)',
      ]);
    });

    it('refuses a package that was not built, or has no README', async () => {
      const unbuilt = Object.fromEntries(
        Object.entries(project).filter(([path]) => !path.includes('/dist/') && !path.endsWith('README.md')),
      );
      expect(await problemsOf(await workspace(unbuilt))).toEqual([
        'dist/index.js is missing: build the package first (nx build)',
        'README.md is missing',
      ]);
    });
  });
});
