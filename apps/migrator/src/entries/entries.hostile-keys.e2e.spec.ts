import { dailySummaryEntity, healthEntryEntity } from '@vitals/models';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'entries-keys-'));
const db = testService();
afterAll(() => db.close());

interface JsonReport {
  read: number;
  written: number;
  skipped: { where: string; reason: string }[];
  exit_code: number;
}
const report = (stdout: string) => JSON.parse(stdout) as JsonReport;
/** Skips in time order (a JSON object lists integer-like keys such as "1100" before "0800"). */
const skippedOf = (stdout: string) => [...report(stdout).skipped].sort((a, b) => a.where.localeCompare(b.where));

/*
 * Map keys that Object.prototype also has. Written as JSON text, so
 * `__proto__` is a key in the file exactly as a user's export would have it.
 */
const FILE = `{
  "0523": {
    "0800": { "Medications": { "constructor": "5mg", "aspirin": "1g" } },
    "0900": { "Pain": { "__proto__": "5", "knee": "3" } },
    "1000": { "Medications": { "hasOwnProperty": "1 tablet", "toString": "2mg" }, "Pain": { "valueOf": "6-7" }, "Activities": { "toString": 10, "isPrototypeOf": 5 } },
    "1100": { "Activities": { "constructor": 20 } },
    "1200": { "Medications": { "ibuprofen": "400mg" }, "Activities": { "__proto__": 5 } }
  }
}`;

const REFUSED = [
  { where: '0523/0800', reason: expect.stringContaining('"constructor" cannot be a name') },
  { where: '0523/0900', reason: expect.stringContaining('"__proto__" cannot be a name') },
  { where: '0523/1100', reason: expect.stringContaining('"constructor" cannot be a name') },
  { where: '0523/1200', reason: expect.stringContaining('"__proto__" cannot be a name') },
];

describe('vitals-migrate import entries with map keys Object.prototype also has', () => {
  it('--strict --dry-run refuses exactly what the real run refuses, and the real run stores every other key exactly', async () => {
    const prefix = uniquePrefix();
    const env = { TABLE_PREFIX: prefix };
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const file = join(dir, 'keys.json');
    writeFileSync(file, FILE);

    const dryRun = await runCli(['import', 'entries', file, '--year', '2025', '--strict', '--dry-run', '--json'], env);
    expect({ code: dryRun.code, skipped: skippedOf(dryRun.stdout) }).toEqual({ code: 1, skipped: REFUSED });

    const real = await runCli(['import', 'entries', file, '--year', '2025', '--json'], env);
    expect({ code: real.code, stderr: real.stderr }).toEqual({ code: 1, stderr: expect.not.stringMatching(/Error:|at .*\.ts:\d+/) });
    expect(report(real.stdout)).toMatchObject({ read: 5, written: 1 });
    expect(skippedOf(real.stdout)).toEqual(REFUSED);
    expect(skippedOf(real.stdout)).toEqual(skippedOf(dryRun.stdout));

    const entry = await db.items.getItem({ tableName: healthEntryEntity.tableName(prefix), key: { date: '2025-05-23', timestamp: '1000' } });
    expect(entry).toMatchObject({
      medications: { hasOwnProperty: '1 tablet', toString: '2mg' },
      pain: { valueOf: '6-7' },
      activities: { toString: 10, isPrototypeOf: 5 },
      max_pain_level: 7,
    });
    const summary = await db.items.getItem({ tableName: dailySummaryEntity.tableName(prefix), key: { date: '2025-05-23' } });
    expect(summary).toMatchObject({ medication_doses: { hasOwnProperty: 1, toString: 1 }, activity_minutes: { toString: 10, isPrototypeOf: 5 } });

    const verified = await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env);
    expect(report(verified.stdout)).toMatchObject({ differences: [] });
    expect(skippedOf(verified.stdout)).toEqual(REFUSED);
    const out = join(dir, 'keys.export.json');
    expect((await runCli(['export', 'entries', '--year', '2025', '--out', out], env)).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(exported['0523']?.['1000']).toEqual(JSON.parse(FILE)['0523']['1000']);
  });
});
