import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertJavaAvailable, JavaRequiredError, parseJavaMajor } from './java.ts';

function fakeJava(versionLine: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-java-'));
  const file = join(dir, 'java');
  writeFileSync(file, `#!/bin/sh\necho '${versionLine}' >&2\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_412"', 8],
    ['no version here', undefined],
  ])('reads %s as %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });
});

describe('assertJavaAvailable', () => {
  it('when the installed java is 17+, passes', () => {
    expect(() => assertJavaAvailable(fakeJava('openjdk version "17.0.15" 2025-04-15'))).not.toThrow();
  });

  it('when java is missing, names the fix', () => {
    expect(() => assertJavaAvailable('/nonexistent/java')).toThrow(JavaRequiredError);
    expect(() => assertJavaAvailable('/nonexistent/java')).toThrow(/install a Java runtime 17 or newer.*DYNAMODB_ENDPOINT/);
  });

  it('when java is older than 17, says which version it found', () => {
    expect(() => assertJavaAvailable(fakeJava('java version "1.8.0_412"'))).toThrow(/installed Java is version 8/);
  });
});
