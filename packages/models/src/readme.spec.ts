import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Jest runs specs as CommonJS, where __dirname is this folder.
const source = readFileSync(join(__dirname, 'index.ts'), 'utf8');
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function exportedNames(text: string): string[] {
  return [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

describe('README', () => {
  describe('.exports', () => {
    it('when the package exports a name, the README lists it in backticks', () => {
      const names = exportedNames(source);
      expect(names.length).toBeGreaterThan(100);
      expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    });
  });
});
