import { dailySummaryEntity } from '@vitals/models';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEntriesFixture } from '../test-support/entries-fixture.ts';
import { killCliWhen, runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';
const DAYS = 365;

describe('vitals-migrate import entries, killed partway', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const db = testService();
  afterAll(() => db.close());

  const summaries = async () => (await db.items.scan({ tableName: dailySummaryEntity.tableName(prefix), projectionExpression: '#d', expressionAttributeNames: { '#d': 'date' } })).length;

  it('a re-run after SIGKILL finishes the year, and verify passes: nothing lost, nothing doubled, summaries right', async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'entries-kill-')), 'year.json');
    const count = await writeEntriesFixture(file, { days: DAYS, entriesPerDay: 48 });

    let partial = 0;
    const run = await killCliWhen(['import', 'entries', file, '--year', '2025'], env, async () => (partial = await summaries()) >= 20);
    expect(run).toEqual({ signal: 'SIGKILL', ready: true });
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
