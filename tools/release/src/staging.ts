import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ReleaseError, publishedManifest, type PackageManifest } from './published-manifest.ts';

/** Files copied beside `dist/` when present; README is required. */
const REQUIRED_DOCS = ['README.md'];
const OPTIONAL_DOCS = ['CHANGELOG.md'];

export interface StagedPackage {
  name: string;
  version: string;
  /** The directory `npm publish` runs in: `dist/<projectRoot>` under the workspace. */
  dir: string;
}

/**
 * Copies what npm publishes for one package into `dist/<projectRoot>`:
 * the published manifest, README (and CHANGELOG) and the built `dist/`.
 * Refuses a build that is missing or holds output whose source is gone
 * (tsc never deletes it), since either would ship something wrong.
 */
export async function stagePackage(workspaceRoot: string, projectRoot: string): Promise<StagedPackage> {
  const source = join(workspaceRoot, projectRoot);
  const manifest = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as PackageManifest;
  const published = publishedManifest(manifest, `${projectRoot}/package.json`);

  const problems = [...(await buildProblems(source)), ...(await missingDocs(source))];
  if (problems.length > 0) throw new ReleaseError(projectRoot, problems);

  const dir = join(workspaceRoot, 'dist', projectRoot);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(join(source, 'dist'), join(dir, 'dist'), {
    recursive: true,
    filter: (file) => !file.endsWith('.tsbuildinfo'),
  });
  for (const doc of [...REQUIRED_DOCS, ...OPTIONAL_DOCS]) {
    if (await exists(join(source, doc))) await cp(join(source, doc), join(dir, doc));
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  return { name: String(published['name']), version: String(published['version']), dir };
}

/** Output files of `src/a/b.ts` are `dist/a/b.js`, `.js.map` and `.d.ts`. */
function sourceOf(distFile: string): string | undefined {
  const match = /^(.*)\.(?:js|js\.map|d\.ts)$/.exec(distFile);
  return match ? `${match[1]}.ts` : undefined;
}

async function buildProblems(source: string): Promise<string[]> {
  const dist = join(source, 'dist');
  if (!(await exists(join(dist, 'index.js')))) return ['dist/index.js is missing: build the package first (nx build)'];
  const problems: string[] = [];
  for (const file of await listFiles(dist)) {
    if (file.endsWith('.tsbuildinfo')) continue;
    const origin = sourceOf(file);
    if (origin === undefined) {
      problems.push(`dist/${file} is not build output of src/ (remove dist/ and rebuild)`);
    } else if (!(await exists(join(source, 'src', origin)))) {
      problems.push(`dist/${file} is stale: src/${origin} no longer exists (remove dist/ and rebuild)`);
    }
  }
  return problems;
}

async function missingDocs(source: string): Promise<string[]> {
  const missing: string[] = [];
  for (const doc of REQUIRED_DOCS) if (!(await exists(join(source, doc)))) missing.push(`${doc} is missing`);
  return missing;
}

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
