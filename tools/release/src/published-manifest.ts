/**
 * The `package.json` a consumer receives is the workspace's own, less what
 * only the workspace uses: the `@vitals/source` export condition (it points
 * at `src/`, which is not published), the `nx` block and `devDependencies`.
 */
export const SOURCE_CONDITION = '@vitals/source';

const WORKSPACE_ONLY_FIELDS = ['nx', 'devDependencies', 'scripts'] as const;

export type PackageManifest = Record<string, unknown>;

/** A package that cannot be published as it stands; `problems` say what and where. */
export class ReleaseError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: readonly string[],
  ) {
    super(`${subject}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ReleaseError';
  }
}

/** Returns the manifest to publish, or throws a `ReleaseError` listing every problem found. */
export function publishedManifest(manifest: PackageManifest, subject = 'package.json'): PackageManifest {
  const problems: string[] = [];
  if (manifest['private'] === true) problems.push('is private ("private": true) and must not be published');
  for (const field of ['name', 'version'] as const) {
    if (typeof manifest[field] !== 'string' || manifest[field] === '') problems.push(`"${field}" is missing`);
  }
  if (!Array.isArray(manifest['files']) || manifest['files'].length === 0) {
    problems.push('"files" is missing: list what a consumer needs (dist), or npm publishes everything');
  }
  if (manifest['exports'] === undefined) problems.push('"exports" is missing');

  const published: PackageManifest = { ...manifest };
  for (const field of WORKSPACE_ONLY_FIELDS) delete published[field];
  published['exports'] = withoutSourceCondition(manifest['exports'], 'exports', problems);
  for (const field of ['types', 'main', 'module'] as const) {
    if (manifest[field] !== undefined) checkTarget(manifest[field], field, problems);
  }
  if (problems.length > 0) throw new ReleaseError(subject, problems);
  return published;
}

function withoutSourceCondition(value: unknown, where: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    checkTarget(value, where, problems);
    return value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where} must be a path or an object of conditions`);
    return value;
  }
  const entries = Object.entries(value).filter(([key]) => key !== SOURCE_CONDITION);
  const conditions = entries.map(([key]) => key).filter((key) => !key.startsWith('.'));
  if (conditions.includes('types') && conditions[0] !== 'types') {
    problems.push(`${where}: "types" must come first among the conditions, or TypeScript may never read it`);
  }
  return Object.fromEntries(
    entries.map(([key, target]) => [key, withoutSourceCondition(target, `${where}[${JSON.stringify(key)}]`, problems)]),
  );
}

function checkTarget(target: unknown, where: string, problems: string[]): void {
  if (typeof target !== 'string') {
    problems.push(`${where} must be a path`);
  } else if (target !== './package.json' && !target.startsWith('./dist/')) {
    problems.push(`${where} is "${target}": published entry points live in ./dist`);
  }
}
