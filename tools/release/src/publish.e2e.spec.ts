import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkPackageContents } from './package-contents.ts';
import { SOURCE_CONDITION } from './published-manifest.ts';
import { listFiles } from './staging.ts';
import { startLocalRegistry, type LocalRegistry } from './test-support/local-registry.ts';
import { childEnv, run } from './test-support/run-command.ts';

/*
 * The release path a team outside this workspace depends on: `nx release
 * publish` (staging, then npm publish) into a real registry on loopback, and
 * a clean project that installs the packages from that registry alone.
 */
const workspaceRoot = resolve(__dirname, '../../..');
const PUBLISHED = ['dynamodb-core', 'models', 'repositories'] as const;
type Published = (typeof PUBLISHED)[number];
const bin = (name: string) => join(workspaceRoot, 'node_modules/.bin', name);

let tmp: string;
let registry: LocalRegistry;
const version = {} as Record<Published, string>;
const tarball = {} as Record<Published, string>;
const unpacked = (name: Published) => join(tmp, 'unpacked', name, 'package');

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitals-publish-'));
  registry = await startLocalRegistry(join(tmp, 'registry'), process.env['npm_config_registry'] ?? 'https://registry.npmjs.org/');
  const env = childEnv({ npm_config_userconfig: registry.userconfig, npm_config_cache: join(tmp, 'npm-cache') });

  await run(bin('nx'), ['release', 'publish', `--registry=${registry.url}`, '--outputStyle=static'], { cwd: workspaceRoot, env });

  // What a consumer downloads: each tarball, fetched back from the registry.
  for (const name of PUBLISHED) {
    version[name] = (await readJson<{ version: string }>(join(workspaceRoot, 'packages', name, 'package.json'))).version;
    const into = join(tmp, 'unpacked', name);
    await mkdir(into, { recursive: true });
    const packed = await run('npm', ['pack', `@vitals/${name}@${version[name]}`, '--json', `--pack-destination=${into}`], { cwd: tmp, env });
    tarball[name] = join(into, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);
    await run('tar', ['-xzf', tarball[name], '-C', into], { cwd: tmp, env });
  }
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('publishing @vitals/dynamodb-core, @vitals/models and @vitals/repositories', () => {
  describe.each(PUBLISHED)('@vitals/%s as published', (name) => {
    it('holds its built dist, README and manifest, and nothing from the workspace', async () => {
      const files = await listFiles(unpacked(name));
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map']));
      expect(files.filter((file) => !file.startsWith('dist/'))).toEqual(
        files.includes('CHANGELOG.md') ? ['CHANGELOG.md', 'README.md', 'package.json'] : ['README.md', 'package.json'],
      );
      expect(await checkPackageContents(unpacked(name), [workspaceRoot, SOURCE_CONDITION])).toEqual([]);
    });

    it('has a manifest without workspace-only fields, with types first in exports', async () => {
      const manifest = await readJson<Record<string, unknown>>(join(unpacked(name), 'package.json'));
      expect(manifest).toMatchObject({ name: `@vitals/${name}`, version: version[name], type: 'module' });
      expect(manifest).not.toHaveProperty('nx');
      expect(manifest).not.toHaveProperty('devDependencies');
      expect(manifest['exports']).toEqual({
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './package.json': './package.json',
      });
      expect(Object.keys((manifest['exports'] as Record<string, object>)['.'] ?? {})[0]).toBe('types');
    });

    it('passes publint (strict)', async () => {
      const { stdout } = await run(bin('publint'), ['run', unpacked(name), '--strict', '--pack=false'], { cwd: tmp, env: childEnv({}) });
      expect(stdout).toContain('All good');
    });

    it('resolves its types for ESM consumers under node16 and bundler resolution (attw)', async () => {
      const { stdout } = await run(bin('attw'), [tarball[name], '--profile', 'esm-only', '--format', 'json'], { cwd: tmp, env: childEnv({}) });
      const report = JSON.parse(stdout) as { analysis: { problems: { kind: string; resolutionKind?: string }[] } };
      // The esm-only profile ignores CommonJS require() (these packages are ESM-only) and node10.
      const esmProblems = report.analysis.problems.filter(
        (problem) => problem.resolutionKind !== 'node16-cjs' && problem.resolutionKind !== 'node10',
      );
      expect(esmProblems).toEqual([]);
    });
  });

  it('installs into a clean project from the registry alone, compiles with its strict tsc and round-trips a reading on DynamoDB Local', async () => {
    const consumer = join(tmp, 'consumer');
    await mkdir(join(consumer, 'src'), { recursive: true });
    const root = await readJson<{ devDependencies: Record<string, string> }>(join(workspaceRoot, 'package.json'));
    await writeFile(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'vitals-consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@vitals/dynamodb-core': version['dynamodb-core'],
          '@vitals/models': version.models,
          '@vitals/repositories': version.repositories,
          inversify: '^8.2.3',
        },
        devDependencies: { typescript: root.devDependencies['typescript'], '@types/node': root.devDependencies['@types/node'] },
      }),
    );
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          module: 'nodenext',
          target: 'es2022',
          types: ['node'],
          rootDir: 'src',
          outDir: 'dist',
          noEmitOnError: true,
        },
        include: ['src'],
      }),
    );
    await copyFile(join(__dirname, 'consumer/main.ts'), join(consumer, 'src/main.ts'));

    const env = childEnv({ npm_config_userconfig: registry.userconfig, npm_config_cache: join(tmp, 'consumer-npm-cache') });
    await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: consumer, env });

    const lock = await readJson<{ packages: Record<string, { resolved?: string; link?: boolean }> }>(join(consumer, 'package-lock.json'));
    const installed = Object.entries(lock.packages).filter(([path]) => path !== '');
    expect(installed.filter(([, entry]) => !entry.resolved?.startsWith(registry.url)).map(([path]) => path)).toEqual([]);
    // Peers are shared: one copy of each, at the top, for the consumer and the packages alike.
    for (const shared of ['@vitals/dynamodb-core', '@vitals/models', 'inversify', 'reflect-metadata', 'zod', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']) {
      expect(installed.filter(([path]) => path.endsWith(`node_modules/${shared}`)).map(([path]) => path)).toEqual([`node_modules/${shared}`]);
    }

    await run(join(consumer, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: consumer, env });
    const { stdout } = await run(process.execPath, ['dist/main.js'], {
      cwd: consumer,
      env: childEnv({ DYNAMODB_ENDPOINT: testDynamoDBEndpoint() }),
    });
    const seen = JSON.parse(stdout) as { created: string[]; expectedTables: string[]; saved: Record<string, unknown>; read: unknown };
    expect(seen.created.sort()).toEqual([...seen.expectedTables].sort());
    expect(seen.expectedTables).toHaveLength(3);
    expect(seen.saved).toMatchObject({ user_id: 'consumer', glucose_value: 130, glucose_unit: 'mg/dL', trend_direction: 'steady' });
    expect(seen.read).toEqual(seen.saved);
  }, 600_000);
});
