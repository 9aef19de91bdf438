import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the README', () => {
  it('mentions every export of index.ts in backticks', () => {
    const index = readFileSync(join(__dirname, 'index.ts'), 'utf8');
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
      (match[1] ?? '').split(',').map((name) => name.trim().replace(/^type\s+/, '')),
    );
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
