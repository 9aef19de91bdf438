import { glucoseReadingEntity } from '@vitals/models';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureGlucose, localTimestamp, writeClarityFixture } from '../test-support/clarity-fixture.ts';
import { killCliWhen, runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

const ROWS = 40_000;

describe('vitals-migrate import clarity, killed partway', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const db = testService();
  afterAll(() => db.close());

  const stored = () =>
    db.items.query({
      tableName: glucoseReadingEntity.tableName(prefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': 'kill' },
      projectionExpression: '#ts, glucose_value',
      expressionAttributeNames: { '#ts': 'timestamp' },
    });

  it('a re-run after SIGKILL finishes with every reading exactly once and nothing lost', async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'clarity-kill-')), 'year.csv');
    await writeClarityFixture(file, { rows: ROWS });

    let partial = 0;
    const run = await killCliWhen(['import', 'clarity', file, '--user', 'kill'], env, async () => (partial = (await stored()).length) >= 2_000);
    expect(run).toEqual({ signal: 'SIGKILL', ready: true });
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
