import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Jest runs specs as CommonJS, where __dirname is this folder.
const source = readFileSync(join(__dirname, 'index.ts'), 'utf8');
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** Names of every `export { … } from` / `export type { … } from`, without inline `type` modifiers. */
function exportedNames(text: string): string[] {
  return [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.trim().replace(/^type\s+/, ''))
      .filter((name) => name !== ''),
  );
}

describe('README', () => {
  describe('.exports', () => {
    it('when the package exports a name, the README lists it in backticks', () => {
      const names = exportedNames(source);
      expect(names.length).toBeGreaterThan(40);
      expect(names.filter((name) => !/^[A-Za-z_$][\w$]*$/.test(name))).toEqual([]);
      expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    });
  });
});
