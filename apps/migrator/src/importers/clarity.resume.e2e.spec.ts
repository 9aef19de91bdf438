import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixtureGlucose, localTimestamp, writeClarityFixture } from '../test-support/clarity-fixture.ts';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

const root = resolve(__dirname, '../../../..');
const ROWS = 40_000;

describe('vitals-migrate import clarity, killed partway', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const db = testService();
  afterAll(() => db.close());

  const stored = () =>
    db.query({
      tableName: `${prefix}bg_readings`,
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': 'kill' },
      projectionExpression: '#ts, glucose_value',
      expressionAttributeNames: { '#ts': 'timestamp' },
    });

  it('a re-run after SIGKILL finishes with every reading exactly once and nothing lost', async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'clarity-kill-')), 'year.csv');
    await writeClarityFixture(file, { rows: ROWS });

    // One process (node --import tsx), so SIGKILL really stops the writer mid-run.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@vitals/source', resolve(__dirname, '../main.ts'), 'import', 'clarity', file, '--user', 'kill'],
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
      partial = (await stored()).length;
      if (partial >= 2_000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    expect(partial).toBeGreaterThan(0);
    expect((await stored()).length).toBeLessThan(ROWS);

    const rerun = await runCli(['import', 'clarity', file, '--user', 'kill', '--json'], env);
    expect(rerun.code).toBe(0);
    const readings = await stored();
    expect(readings).toHaveLength(ROWS);
    const start = Date.parse('2025-01-01T00:00:00Z');
    readings.forEach((reading, i) => {
      const glucose = fixtureGlucose(i);
      expect(reading['timestamp']).toBe(`${localTimestamp(start, i)}.000Z`);
      expect(reading['glucose_value']).toBe(glucose === 'Low' ? 39 : glucose === 'High' ? 401 : glucose);
    });
  }, 120_000);
});
