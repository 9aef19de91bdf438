import { accumulateStretch, fromGlucoseRollup, glucoseRollupEntity, localClock, type GlucoseReading, type GlucoseRollup } from '@vitals/models';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeClarityFixture } from '../test-support/clarity-fixture.ts';
import { runCli, storedReadings, testService, uniquePrefix } from '../test-support/run-cli.ts';

const USER = 'rollup-user';

describe('vitals-migrate rollups rebuild', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const db = testService();
  afterAll(() => db.close());

  const storedRollups = async () =>
    (await db.items.query({
      tableName: glucoseRollupEntity.tableName(prefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': USER },
      consistentRead: true,
    })) as GlucoseRollup[];

  /** Each stored rollup as its day computed afresh from the stored readings (UTC: the user set no zone). */
  async function expectRollupsCurrent(): Promise<GlucoseRollup[]> {
    const readings = (await storedReadings(db, prefix, USER)) as GlucoseReading[];
    const rollups = await storedRollups();
    for (const rollup of rollups) {
      expect(fromGlucoseRollup(rollup)).toEqual(accumulateStretch(readings, rollup.start_ms, rollup.end_ms, localClock('UTC')));
    }
    return rollups;
  }

  it('an import keeps the rollups current; a rebuild repairs a damaged one and a re-run changes nothing', async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'rollups-')), 'week.csv');
    await writeClarityFixture(file, { rows: 7 * 288 });
    expect((await runCli(['import', 'clarity', file, '--user', USER], env)).code).toBe(0);
    // The import wrote the rollups: 2025-01-01..07 and the day after (the last readings' carry-in).
    const imported = await expectRollupsCurrent();
    expect(imported.map((rollup) => rollup.day)).toEqual(['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05', '2025-01-06', '2025-01-07', '2025-01-08']);

    // A stale day (as a crash between the readings write and the rollup's would leave it).
    const damaged = imported[3] as GlucoseRollup;
    await db.items.putItem({ tableName: glucoseRollupEntity.tableName(prefix), item: { ...damaged, count: 1, value_ms: 1 } });
    const rebuilt = await runCli(['rollups', 'rebuild', '--user', USER, '--json'], env);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ written: 8, details: { time_zone: 'UTC', from: '2025-01-01', to: '2025-01-08', last_day: '2025-01-08' } });
    const repaired = await expectRollupsCurrent();
    expect(repaired.find((rollup) => rollup.day === damaged.day)?.count).toBe(damaged.count);

    // Idempotent: the same rollups again, each one version further.
    const again = await runCli(['rollups', 'rebuild', '--user', USER, '--from', '2025-01-02', '--to', '2025-01-03', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 2 });
    const after = await expectRollupsCurrent();
    expect(after.map(({ version: _v, updated_at: _u, ...body }) => body)).toEqual(repaired.map(({ version: _v, updated_at: _u, ...body }) => body));
  }, 240_000);

  it('rejects a reversed range as a usage problem', async () => {
    const run = await runCli(['rollups', 'rebuild', '--user', USER, '--from', '2025-02-01', '--to', '2025-01-01'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--to 2025-01-01 is before --from 2025-02-01');
  });
});
