import { spawnSync } from 'node:child_process';

const MINIMUM_JAVA_MAJOR = 17;

export const JAVA_FIX =
  'install a Java runtime 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`), ' +
  'or set DYNAMODB_ENDPOINT to a DynamoDB you already run';

/** Thrown when the embedded DynamoDB Local cannot run because Java is missing or too old. */
export class JavaRequiredError extends Error {
  constructor(detail: string) {
    super(`DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+ but ${detail}: ${JAVA_FIX}.`);
    this.name = 'JavaRequiredError';
  }
}

/** Major version from `java -version` output (`"17.0.15"` → 17, `"1.8.0_412"` → 8). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Fails with one clear error when `java` is absent or older than 17. */
export function assertJavaAvailable(command = 'java'): void {
  const result = spawnSync(command, ['-version'], { encoding: 'utf8', env: process.env });
  if (result.error) {
    throw new JavaRequiredError(`\`${command}\` was not found on PATH`);
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined) {
    throw new JavaRequiredError(`\`${command} -version\` did not report a version`);
  }
  if (major < MINIMUM_JAVA_MAJOR) {
    throw new JavaRequiredError(`the installed Java is version ${major}`);
  }
}
