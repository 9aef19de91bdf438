import { healthEntryEntity, healthEntryItems, type HealthEntry } from '@vitals/models';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

jest.setTimeout(120_000);

const db = testService();
afterAll(() => db.close());

interface JsonReport {
  read: number;
  written: number;
  details: { missing: { where: string; reason: string }[] };
}
const report = (stdout: string) => JSON.parse(stdout) as JsonReport;

/** An entry as stored before case-insensitive matching: capitalised names, no lower-case index items. */
const entry: HealthEntry = {
  date: '2025-05-23',
  timestamp: '0800',
  medications: { Ibuprofen: '400mg', Paracetamol: '1g' },
  pain: { back: '5' },
  activities: {},
  medication_taken: 'Ibuprofen',
  max_pain_level: 5,
};

describe('vitals-migrate entries reindex', () => {
  it('writes the lower-case index items entries stored before them lack, once; --dry-run only lists them', async () => {
    const prefix = uniquePrefix();
    const env = { TABLE_PREFIX: prefix };
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
    const table = healthEntryEntity.tableName(prefix);
    const items = healthEntryItems(entry);
    const oldForm = [items.entry, ...items.medication_index_items.filter((item) => Object.hasOwn(entry.medications, item.medication_taken))];
    expect(oldForm.map((item) => item.timestamp)).toEqual(['0800', 'med#Paracetamol#0800']);
    await db.items.batchWriteItems({ tableName: table, items: oldForm });
    const underIbuprofen = async () =>
      (
        await db.items.query({
          tableName: table,
          indexName: 'medication-index',
          keyConditionExpression: 'medication_taken = :m',
          expressionAttributeValues: { ':m': 'ibuprofen' },
        })
      ).length;
    expect(await underIbuprofen()).toBe(0);

    const dryRun = await runCli(['entries', 'reindex', '--dry-run', '--json'], env);
    expect(dryRun.code).toBe(0);
    expect(report(dryRun.stdout)).toMatchObject({
      read: 1,
      written: 0,
      details: { missing: [{ where: '2025-05-23/0800', reason: 'medication index item "ibuprofen"' }, { where: '2025-05-23/0800', reason: 'medication index item "paracetamol"' }] },
    });
    expect(await underIbuprofen()).toBe(0);

    const real = await runCli(['entries', 'reindex', '--json'], env);
    expect({ code: real.code, written: report(real.stdout).written }).toEqual({ code: 0, written: 2 });
    expect(await underIbuprofen()).toBe(1);
    expect(await db.items.getItem({ tableName: table, key: { date: '2025-05-23', timestamp: '0800' } })).toEqual(items.entry);

    const again = await runCli(['entries', 'reindex', '--json'], env);
    expect(report(again.stdout)).toMatchObject({ written: 0, details: { missing: [] } });
  });
});
