import { glucoseReadingEntity } from '@vitals/models';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clarityHeader } from '../test-support/clarity-fixture.ts';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'clarity-plausible-'));
const db = testService();
afterAll(() => db.close());

interface JsonReport {
  read: number;
  written: number;
  skipped: { where: string; reason: string }[];
}

/*
 * A reading dated far in the future or before 1980 (a
 * receiver with an unset clock) is a skipped row in the dry run and in the
 * real run alike — never a write that fails part-way.
 */
describe('vitals-migrate import clarity with implausible timestamps', () => {
  it('--strict --dry-run and the real run skip the same rows; the others go in', async () => {
    const prefix = uniquePrefix();
    const env = { TABLE_PREFIX: prefix };
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(dir, 'clock.csv');
    const rows = [
      '1,2025-06-01T08:00:00,EGV,,,,Android G7,100,,,,0,1,8TX123',
      '2,2099-06-01T08:05:00,EGV,,,,Android G7,101,,,,0,2,8TX123',
      '3,1970-01-01T00:00:00,EGV,,,,Android G7,102,,,,0,3,8TX123',
      '4,2025-06-01T08:15:00,EGV,,,,Android G7,103,,,,0,4,8TX123',
    ];
    writeFileSync(file, `${clarityHeader('mg/dL')}\n${rows.join('\n')}\n`);
    const expected = [
      { where: 'line 3', reason: expect.stringMatching(/^timestamp: must not be more than 24 h after the server's time/) },
      { where: 'line 4', reason: 'timestamp: must not be before 1980-01-01T00:00:00.000Z' },
    ];

    const dryRun = await runCli(['import', 'clarity', file, '--user', 'clock', '--strict', '--dry-run', '--json'], env);
    expect({ code: dryRun.code, skipped: (JSON.parse(dryRun.stdout) as JsonReport).skipped }).toEqual({ code: 1, skipped: expected });

    const real = await runCli(['import', 'clarity', file, '--user', 'clock', '--json'], env);
    expect({ code: real.code, report: JSON.parse(real.stdout) as JsonReport }).toEqual({
      code: 1,
      report: expect.objectContaining({ read: 4, written: 2, skipped: expected }),
    });
    const stored = await db.items.query({
      tableName: glucoseReadingEntity.tableName(prefix),
      keyConditionExpression: 'user_id = :u',
      expressionAttributeValues: { ':u': 'clock' },
    });
    expect(stored.map((item) => item['timestamp'])).toEqual(['2025-06-01T08:00:00.000Z', '2025-06-01T08:15:00.000Z']);
  });
});
