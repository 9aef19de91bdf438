import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../../..');

/** What the README's example says it prints, line by line. */
const EXPECTED = [
  "112 { user_id: 'u1', timestamp: '2025-05-23T13:00:00.000Z' }",
  "true [ 'user_id', 'timestamp' ]",
  '#pk = :pk AND #sk >= :sk',
  `[ '0523/1300: pain.back "6-x-8" is not a pain level' ]`,
  "oxycodone [ 'med#journavx#1300' ]",
  'medication-index',
  '1 112 5.99 30 false',
];

describe('examples/quick-start.ts (the README example)', () => {
  it('prints exactly what the README says it prints', async () => {
    const { stdout } = await promisify(execFile)(
      resolve(root, 'node_modules/.bin/tsx'),
      ['--tsconfig', resolve(root, 'tsconfig.base.json'), resolve(__dirname, '../examples/quick-start.ts')],
      { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    expect(stdout.trim().split('\n')).toEqual(EXPECTED);
    const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
    for (const line of EXPECTED) expect(readme).toContain(`// ${line}`);
  }, 60_000);
});
