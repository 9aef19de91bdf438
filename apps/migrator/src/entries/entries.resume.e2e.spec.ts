import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeEntriesFixture } from '../test-support/entries-fixture.ts';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

const root = resolve(__dirname, '../../../..');
const DAYS = 365;

describe('vitals-migrate import entries, killed partway', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const db = testService();
  afterAll(() => db.close());

  const summaries = async () => (await db.scan({ tableName: `${prefix}fusion-daily-summaries`, projectionExpression: '#d', expressionAttributeNames: { '#d': 'date' } })).length;

  it('a re-run after SIGKILL finishes the year, and verify passes: nothing lost, nothing doubled, summaries right', async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'entries-kill-')), 'year.json');
    const count = await writeEntriesFixture(file, { days: DAYS, entriesPerDay: 48 });

    // One process (node --import tsx), so SIGKILL really stops the writer mid-run.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vitals/source', resolve(__dirname, '../main.ts'), 'import', 'entries', file, '--year', '2025'],
      {
        cwd: root,
        stdio: 'ignore',
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.base.json'),
          DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          ...env,
        },
      },
    );
    const exited = once(child, 'exit');
    const deadline = Date.now() + 60_000;
    let partial = 0;
    while (Date.now() < deadline && child.exitCode === null) {
      partial = await summaries();
      if (partial >= 20) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    expect(partial).toBeGreaterThan(0);
    expect(await summaries()).toBeLessThan(DAYS);

    const interrupted = await runCli(['verify', 'entries', file, '--year', '2025'], env);
    expect(interrupted.code).toBe(1);

    const rerun = await runCli(['import', 'entries', file, '--year', '2025', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ read: count, written: count, skipped: [] });
    const verified = await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env);
    expect(JSON.parse(verified.stdout)).toMatchObject({ read: count, differences: [], skipped: [], details: { stored_entries: count, stored_summaries: DAYS } });
    expect(verified.code).toBe(0);
  }, 180_000);
});
