import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import type { PackageManifest } from './published-manifest.ts';
import { listFiles } from './staging.ts';

/** One thing a consumer of the package would trip over, and the file it is in. */
export interface ContentProblem {
  file: string;
  problem: string;
}

const ALWAYS_ALLOWED = new Set(['package.json', 'README.md', 'CHANGELOG.md']);
const BUILTINS = new Set(builtinModules);

/**
 * Checks an unpacked package (the directory npm would publish, or a tarball's
 * `package/`) the way a consumer meets it: only the package's own files and
 * its declared dependencies exist. Reports:
 * - files outside `dist/` (sources, build info, tests) and entry points
 *   (`exports` under every condition, `types`, `main`) that do not exist;
 * - relative imports in `.js` / `.d.ts` that do not resolve inside the
 *   package, and bare imports of packages it does not declare;
 * - source maps that need the sources (`src/`) to be useful;
 * - built files that name a workspace-only place (`forbiddenText`, e.g. the
 *   workspace's absolute path or the `@vitals/source` condition).
 */
export async function checkPackageContents(dir: string, forbiddenText: readonly string[] = []): Promise<ContentProblem[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  const files = await listFiles(dir);
  const present = new Set(files);
  const declared = new Set([
    ...Object.keys(asRecord(manifest['dependencies'])),
    ...Object.keys(asRecord(manifest['peerDependencies'])),
  ]);
  const problems: ContentProblem[] = [];

  for (const [where, target] of entryPoints(manifest)) {
    if (!present.has(normalize(target).split('\\').join('/'))) {
      problems.push({ file: 'package.json', problem: `${where} points at ${target}, which is not in the package` });
    }
  }
  for (const file of files) {
    if (!ALWAYS_ALLOWED.has(file) && !/^dist\/.+\.(?:js|d\.ts|js\.map)$/.test(file)) {
      problems.push({ file, problem: 'is not something a consumer needs (only dist/*.js, *.d.ts, *.js.map and docs)' });
      continue;
    }
    if (ALWAYS_ALLOWED.has(file)) continue;
    const text = await readFile(join(dir, file), 'utf8');
    for (const needle of forbiddenText) {
      if (text.includes(needle)) problems.push({ file, problem: `mentions ${needle}` });
    }
    if (file.endsWith('.js.map')) problems.push(...sourceMapProblems(file, text));
    else if (file.endsWith('.js') || file.endsWith('.d.ts')) problems.push(...importProblems(file, text, present, declared));
  }
  return problems;
}

function importProblems(file: string, text: string, present: Set<string>, declared: Set<string>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    if (specifier.startsWith('.')) {
      const candidates = relativeCandidates(join(dirname(file), specifier).split('\\').join('/'), file.endsWith('.d.ts'));
      if (!candidates.some((candidate) => present.has(candidate))) {
        problems.push({ file, problem: `imports ${specifier}, which is not in the package` });
      }
    } else if (!specifier.startsWith('node:') && !BUILTINS.has(specifier)) {
      const name = packageName(specifier);
      if (!declared.has(name)) problems.push({ file, problem: `imports ${specifier}, but ${name} is not a dependency or peer dependency` });
    }
  }
  return problems;
}

/** What a `.js` import may load, or what TypeScript reads for an import in a `.d.ts`. */
function relativeCandidates(path: string, fromDeclaration: boolean): string[] {
  if (!fromDeclaration) return [path];
  const stem = path.replace(/\.(?:js|ts|d\.ts)$/, '');
  return [`${stem}.d.ts`];
}

function sourceMapProblems(file: string, text: string): ContentProblem[] {
  const map = JSON.parse(text) as { sources?: unknown[]; sourcesContent?: unknown[] };
  const sources = map.sources ?? [];
  const contents = map.sourcesContent ?? [];
  const missing = sources.filter((_, index) => typeof contents[index] !== 'string');
  return missing.length === 0
    ? []
    : [{ file, problem: `needs ${missing.join(', ')} to show the source; embed it (inlineSources)` }];
}

function entryPoints(manifest: PackageManifest): [string, string][] {
  const found: [string, string][] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') found.push([where, value]);
    else for (const [key, target] of Object.entries(asRecord(value))) visit(target, `${where}[${JSON.stringify(key)}]`);
  };
  visit(manifest['exports'], 'exports');
  for (const field of ['types', 'main', 'module'] as const) {
    if (typeof manifest[field] === 'string') found.push([field, manifest[field]]);
  }
  return found;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
