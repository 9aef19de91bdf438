import { readFileSync } from 'node:fs';

/**
 * The names a package's `index.ts` exports (`export { … } from` and
 * `export type { … } from`, inline `type` modifiers removed), and those of
 * them its README does not mention in backticks. Package specs assert that
 * `missing` is empty, so a README cannot forget an export.
 */
export function readmeExportCoverage(indexFile: string, readmeFile: string): { names: string[]; missing: string[] } {
  const source = readFileSync(indexFile, 'utf8');
  const readme = readFileSync(readmeFile, 'utf8');
  const names = [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.trim().replace(/^type\s+/, ''))
      .filter((name) => name !== ''),
  );
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`${indexFile}: could not read the export "${name}"`);
  }
  return { names, missing: names.filter((name) => !readme.includes(`\`${name}\``)) };
}
