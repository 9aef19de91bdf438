import { dailySummaryEntity, healthEntryEntity } from '@vitals/models';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEntriesFixture } from '../test-support/entries-fixture.ts';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'entries-'));
const db = testService();

interface JsonReport {
  read: number;
  written: number;
  skipped: { where: string; reason: string }[];
  differences?: { where: string; reason: string }[];
  details: Record<string, unknown>;
  exit_code: number;
}

const report = (stdout: string) => JSON.parse(stdout) as JsonReport;

/** A fresh prefix with every table created: each test owns its data. */
async function freshTables(): Promise<{ env: Record<string, string>; prefix: string }> {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
  return { env, prefix };
}

const scanAll = (table: string) => db.items.scan({ tableName: table });
const entryItems = async (prefix: string) => scanAll(healthEntryEntity.tableName(prefix));
const summaryItems = async (prefix: string) => scanAll(dailySummaryEntity.tableName(prefix));

afterAll(() => db.close());

describe('vitals-migrate import / verify / export entries', () => {
  it('imports a file, verify passes, export reproduces its data, and a re-import adds nothing', async () => {
    const { env, prefix } = await freshTables();
    const file = join(dir, 'month.json');
    const count = await writeEntriesFixture(file, { days: 30, entriesPerDay: 12 });

    const imported = await runCli(['import', 'entries', file, '--year', '2025', '--json'], env);
    expect(imported.code).toBe(0);
    expect(report(imported.stdout)).toMatchObject({ read: count, written: count, skipped: [], details: { summaries_rebuilt: 30 } });
    const items = await entryItems(prefix);
    expect(items.filter((item) => !String(item['timestamp']).startsWith('med#'))).toHaveLength(count);
    expect(await summaryItems(prefix)).toHaveLength(30);

    const verified = await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env);
    expect(verified.code).toBe(0);
    expect(report(verified.stdout)).toMatchObject({ read: count, differences: [], skipped: [], exit_code: 0 });

    const out = join(dir, 'month.export.json');
    const exported = await runCli(['export', 'entries', '--year', '2025', '--out', out, '--json'], env);
    expect(exported.code).toBe(0);
    expect(report(exported.stdout)).toMatchObject({ written: count, details: { days: 30 } });
    const original = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { Medications: object }>>;
    const roundTrip = JSON.parse(readFileSync(out, 'utf8')) as typeof original;
    expect(roundTrip).toEqual(original);
    // The first-listed (primary) medication stays first; days and times come out in order.
    for (const [day, records] of Object.entries(original)) {
      for (const [time, record] of Object.entries(records)) {
        expect(Object.keys(roundTrip[day]?.[time]?.Medications ?? {})[0]).toBe(Object.keys(record.Medications)[0]);
      }
    }
    const text = readFileSync(out, 'utf8');
    expect(text.indexOf('"0101"')).toBeLessThan(text.indexOf('"0130"'));
    expect(text.indexOf('"0800"')).toBeLessThan(text.indexOf('"1200"'));

    const again = await runCli(['import', 'entries', file, '--year', '2025', '--json'], env);
    expect(again.code).toBe(0);
    expect(await entryItems(prefix)).toHaveLength(items.length);
    expect((await runCli(['verify', 'entries', file, '--year', '2025'], env)).code).toBe(0);
  });

  describe('bad records', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        '0523': {
          '1300': { Medications: { oxycodone: '5mg', journavx: '100mg' }, Pain: { back: '6-7-8' }, Activities: { walking: 16 }, o2: '88', bpr: '129/59', note: 'ok', sleep: '7:39' },
          '0800': { Pain: { back: '6-x-8' } },
          '0900': { bpr: '129-59' },
          '1000': { sleep: '7h' },
          '1100': { o2: 'low' },
          '1200': { Medications: ['oxycodone'] },
          '1400': 'just a string',
          '1500': { Mood: 'fine' },
          '1600': { Medications: { 'a#b': '1mg' } },
          '1700': { Pain: { '': '5' } },
          '25:00': { note: 'bad time key' },
        },
        '0230': { '1000': { note: 'no such day' } },
        '0524': { '0700': { Pain: { knee: '3' }, Activities: {} } },
      }),
    );
    const expectedSkips = [
      { where: '0523/0800', reason: 'pain.back "6-x-8" is not a pain level' },
      { where: '0523/0900', reason: 'bpr "129-59" is not a blood pressure' },
      { where: '0523/1000', reason: 'sleep "7h" is not a sleep duration' },
      { where: '0523/1100', reason: 'o2 "low" is not an O2 percent' },
      { where: '0523/1200', reason: expect.stringMatching(/^Medications: .*expected record/) },
      { where: '0523/1400', reason: 'an entry must be an object, got string' },
      { where: '0523/1500', reason: expect.stringContaining('unknown field "Mood"') },
      { where: '0523/1600', reason: expect.stringContaining('"a#b"') },
      { where: '0523/1700', reason: expect.stringMatching(/^Pain\."": /) },
      { where: '0523/25:00', reason: 'time "25:00" is not HHMM (0000..2359)' },
      { where: '0230', reason: '"0230" is not a day (MMDD) of 2025' },
    ];

    it('are reported with their MMDD/HHMM path and reason, and every valid record still goes in (exit 1)', async () => {
      const { env, prefix } = await freshTables();
      const result = await runCli(['import', 'entries', file, '--year', '2025', '--json'], env);
      expect(result.code).toBe(1);
      const body = report(result.stdout);
      expect(body).toMatchObject({ read: 13, written: 2 });
      expect(body.skipped).toEqual(expect.arrayContaining(expectedSkips.map((skip) => expect.objectContaining(skip))));
      expect(body.skipped).toHaveLength(expectedSkips.length);
      const stored = (await entryItems(prefix)).map((item) => `${String(item['date'])}/${String(item['timestamp'])}`).sort();
      expect(stored).toEqual(['2025-05-23/1300', '2025-05-23/med#journavx#1300', '2025-05-24/0700']);
      expect(await summaryItems(prefix)).toHaveLength(2);

      const human = await runCli(['import', 'entries', file, '--year', '2025'], env);
      expect(human.stderr).toContain('skipped 0523/0800: pain.back "6-x-8" is not a pain level');
    });

    it('a time repeated within a day is reported, not lost without a word (JSON keeps the last)', async () => {
      const { env, prefix } = await freshTables();
      const repeated = join(dir, 'repeated.json');
      writeFileSync(repeated, '{"0301": {"0800": {"note": "first"}, "0800": {"note": "second"}, "0900": {"note": "other"}}}');
      const result = await runCli(['import', 'entries', repeated, '--year', '2025', '--json'], env);
      expect(result.code).toBe(1);
      expect(report(result.stdout).skipped).toEqual([{ where: '0301/0800', reason: expect.stringContaining('more than once') }]);
      const stored = await entryItems(prefix);
      expect(stored.map((item) => [item['timestamp'], item['note']]).sort()).toEqual([
        ['0800', 'second'],
        ['0900', 'other'],
      ]);
    });

    it('with --strict: any bad record aborts before anything is written', async () => {
      const { env, prefix } = await freshTables();
      const result = await runCli(['import', 'entries', file, '--year', '2025', '--strict', '--json'], env);
      expect(result.code).toBe(1);
      expect(report(result.stdout)).toMatchObject({ written: 0, details: { aborted: expect.stringContaining('strict') } });
      expect(report(result.stdout).skipped).toHaveLength(expectedSkips.length);
      expect(await entryItems(prefix)).toEqual([]);
      expect(await summaryItems(prefix)).toEqual([]);
    });

    it('with --dry-run: everything is read and reported, nothing written', async () => {
      const { env, prefix } = await freshTables();
      const result = await runCli(['import', 'entries', file, '--year', '2025', '--dry-run', '--json'], env);
      expect(result.code).toBe(1);
      expect(report(result.stdout)).toMatchObject({ read: 13, written: 0, dry_run: true });
      expect(await entryItems(prefix)).toEqual([]);
    });

    it('verify reports the bad records as skipped and exits 1 even when every valid one is stored', async () => {
      const { env } = await freshTables();
      await runCli(['import', 'entries', file, '--year', '2025'], env);
      const result = await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env);
      expect(result.code).toBe(1);
      expect(report(result.stdout)).toMatchObject({ differences: [] });
      expect(report(result.stdout).skipped).toHaveLength(expectedSkips.length);
    });
  });

  describe('files that cannot be imported: one clear error, exit 2, nothing written', () => {
    const cases: [string, string | undefined, RegExp][] = [
      ['a missing file', undefined, /no such file/],
      ['a CSV file', 'Date,Value\n1,2\n', /is not JSON at line 1, column 1/],
      ['a truncated file', '{"0523": {"1300": {"note": "x"}},\n "0524": {', /is not JSON at line 2/],
      ['a top-level array', '[{"0523": {}}]', /top level must be an object/],
    ];
    it.each(cases)('%s', async (_name, content, message) => {
      const { env, prefix } = await freshTables();
      const file = join(dir, `unusable-${Math.random().toString(36).slice(2)}.json`);
      if (content !== undefined) writeFileSync(file, content);
      const result = await runCli(['import', 'entries', file, '--year', '2025'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('vitals-migrate:'))).toHaveLength(1);
      expect(await entryItems(prefix)).toEqual([]);
    });

    it('a bad --year, or none: usage error', async () => {
      const file = join(dir, 'month.json');
      expect((await runCli(['import', 'entries', file, '--year', '25'])).code).toBe(2);
      expect((await runCli(['import', 'entries', file])).code).toBe(2);
    });
  });

  describe('verify, when the tables differ from the file', () => {
    it('lists each difference at its path — missing, extra, changed, stale index item, wrong summary — and exits 1', async () => {
      const { env, prefix } = await freshTables();
      const file = join(dir, 'week.json');
      await writeEntriesFixture(file, { days: 7, entriesPerDay: 4 });
      expect((await runCli(['import', 'entries', file, '--year', '2025'], env)).code).toBe(0);
      const entries = healthEntryEntity.tableName(prefix);
      const summaries = dailySummaryEntity.tableName(prefix);

      await db.items.deleteItem({ tableName: entries, key: { date: '2025-01-02', timestamp: '0600' } });
      await db.items.putItem({ tableName: entries, item: { date: '2025-01-03', timestamp: '2300', medications: {}, pain: {}, activities: {}, note: 'not in the file' } });
      const changed = await db.items.getItem({ tableName: entries, key: { date: '2025-01-04', timestamp: '1200' } });
      await db.items.putItem({ tableName: entries, item: { ...changed, note: 'edited' } });
      await db.items.putItem({ tableName: entries, item: { date: '2025-01-05', timestamp: 'med#aspirin#0000', medication_taken: 'aspirin', entry_timestamp: '0000', entry_medication_taken: 'x', medications: { aspirin: '1', x: '2' }, pain: {}, activities: {} } });
      const summary = await db.items.getItem({ tableName: summaries, key: { date: '2025-01-06' } });
      await db.items.putItem({ tableName: summaries, item: { ...summary, entry_count: 99 } });
      await db.items.deleteItem({ tableName: summaries, key: { date: '2025-01-07' } });

      const result = await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env);
      expect(result.code).toBe(1);
      const differences = report(result.stdout).differences;
      expect(differences).toEqual(
        expect.arrayContaining([
          { where: '0102/0600', reason: 'in the file, not in the table' },
          { where: '0103/2300', reason: 'in the table, not in the file' },
          { where: '0104/1200', reason: expect.stringMatching(/^note: (absent|".*") in the file, "edited" in the table$/) },
          { where: '0105/0000', reason: expect.stringContaining('medication index item "aspirin" is stored') },
          { where: '0106 summary', reason: 'entry_count: 4 computed from the entries, 99 stored' },
          { where: '0107 summary', reason: 'missing' },
        ]),
      );
      // The summary of 0102 and 0103 no longer match their entries either.
      expect(differences?.map((difference) => difference.where)).toEqual(expect.arrayContaining(['0102 summary', '0103 summary']));

      const human = await runCli(['verify', 'entries', file, '--year', '2025'], env);
      expect(human.code).toBe(1);
      expect(human.stderr).toContain('differs 0107 summary: missing');

      // summaries rebuild fixes the summaries; the entry differences remain.
      expect((await runCli(['summaries', 'rebuild', '--from', '2025-01-01', '--to', '2025-01-31'], env)).code).toBe(0);
      const after = report((await runCli(['verify', 'entries', file, '--year', '2025', '--json'], env)).stdout).differences;
      expect(after?.filter((difference) => difference.where.endsWith('summary'))).toEqual([]);
      expect(after?.length).toBeGreaterThan(0);
    });
  });

  describe('summaries rebuild', () => {
    it('without bounds: rebuilds every stored date, removes summaries of days without entries', async () => {
      const { env, prefix } = await freshTables();
      const file = join(dir, 'three.json');
      await writeEntriesFixture(file, { days: 3, entriesPerDay: 2 });
      await runCli(['import', 'entries', file, '--year', '2025'], env);
      const summaries = dailySummaryEntity.tableName(prefix);
      await db.items.deleteItem({ tableName: summaries, key: { date: '2025-01-02' } });
      await db.items.putItem({ tableName: summaries, item: { ...(await db.items.getItem({ tableName: summaries, key: { date: '2025-01-03' } })), date: '2025-03-01' } });

      const planned = await runCli(['summaries', 'rebuild', '--dry-run', '--json'], env);
      expect(planned.code).toBe(0);
      expect(report(planned.stdout)).toMatchObject({
        written: 0,
        dry_run: true,
        details: {
          days_changed: 2,
          changes: [
            { where: '2025-01-02', reason: 'missing' },
            { where: '2025-03-01', reason: 'stored for a day without entries' },
          ],
        },
      });
      expect(await summaryItems(prefix)).toHaveLength(3);

      const result = await runCli(['summaries', 'rebuild', '--json'], env);
      expect(result.code).toBe(0);
      // Only the two days that differed are written; the third keeps its summary (and updated_at).
      expect(report(result.stdout)).toMatchObject({ written: 2, details: { from: '2025-01-01', to: '2025-03-01', saved: 1, removed: ['2025-03-01'] } });
      const again = await runCli(['summaries', 'rebuild', '--json'], env);
      expect(report(again.stdout)).toMatchObject({ written: 0, details: { days_changed: 0 } });
      expect((await runCli(['verify', 'entries', file, '--year', '2025'], env)).code).toBe(0);
    });

    it('with an invalid stored entry: reported as skipped; --strict writes nothing, export --strict writes no file', async () => {
      const { env, prefix } = await freshTables();
      const file = join(dir, 'two.json');
      await writeEntriesFixture(file, { days: 2, entriesPerDay: 2 });
      await runCli(['import', 'entries', file, '--year', '2025'], env);
      await db.items.putItem({ tableName: healthEntryEntity.tableName(prefix), item: { date: '2025-01-02', timestamp: '0900', medications: 'not a map', pain: {}, activities: {} } });
      const summaries = dailySummaryEntity.tableName(prefix);
      await db.items.deleteItem({ tableName: summaries, key: { date: '2025-01-01' } });

      const strict = await runCli(['summaries', 'rebuild', '--strict', '--json'], env);
      expect(strict.code).toBe(1);
      expect(report(strict.stdout)).toMatchObject({
        written: 0,
        skipped: [{ where: '2025-01-02/0900', reason: expect.stringContaining('medications') }],
        details: { aborted: expect.stringContaining('strict'), days_changed: 1 },
      });
      expect(await summaryItems(prefix)).toHaveLength(1);

      const lenient = await runCli(['summaries', 'rebuild', '--json'], env);
      expect(lenient.code).toBe(1);
      expect(report(lenient.stdout)).toMatchObject({ written: 1, skipped: [{ where: '2025-01-02/0900' }] });
      expect(await summaryItems(prefix)).toHaveLength(2);

      const out = join(dir, 'two.export.json');
      const strictExport = await runCli(['export', 'entries', '--year', '2025', '--out', out, '--strict', '--json'], env);
      expect(strictExport.code).toBe(1);
      expect(report(strictExport.stdout)).toMatchObject({ written: 0, skipped: [{ where: '0102/0900' }] });
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);

      const dryExport = await runCli(['export', 'entries', '--year', '2025', '--out', out, '--dry-run', '--json'], env);
      expect(report(dryExport.stdout)).toMatchObject({ read: 4, written: 0, dry_run: true });
      expect(existsSync(out)).toBe(false);

      const lenientExport = await runCli(['export', 'entries', '--year', '2025', '--out', out, '--json'], env);
      expect(lenientExport.code).toBe(1);
      expect(report(lenientExport.stdout)).toMatchObject({ written: 4, skipped: [{ where: '0102/0900' }] });
      expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')) as object)).toEqual(['0101', '0102']);
    });

    it('with reversed or malformed bounds: usage error', async () => {
      expect((await runCli(['summaries', 'rebuild', '--from', '2025-02-01', '--to', '2025-01-01'])).code).toBe(2);
      expect((await runCli(['summaries', 'rebuild', '--from', '2025-02-30'])).code).toBe(2);
    });
  });

  it('tables that were never created: exit 1 saying to run tables apply', async () => {
    const file = join(dir, 'one-day.json');
    await writeEntriesFixture(file, { days: 1, entriesPerDay: 1 });
    const result = await runCli(['import', 'entries', file, '--year', '2025'], { TABLE_PREFIX: uniquePrefix() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('create the tables first with `tables apply`');
  });

  it('export into a directory that does not exist: usage error, no file', async () => {
    const out = join(dir, 'missing-dir', 'out.json');
    const result = await runCli(['export', 'entries', '--year', '2025', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such directory');
    expect(existsSync(out)).toBe(false);
  });

  it('export that cannot write its file: exit 1 with the reason, no file, no hang', async () => {
    const { env } = await freshTables();
    const out = join(dir, 'blocked.json');
    mkdirSync(`${out}.partial`);
    const result = await runCli(['export', 'entries', '--year', '2025', '--out', out], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/vitals-migrate: .*EISDIR/);
    expect(existsSync(out)).toBe(false);
  });

  it('every command answers --help', async () => {
    for (const command of [[], ['tables', 'plan'], ['tables', 'apply'], ['import', 'entries'], ['import', 'clarity'], ['verify', 'entries'], ['export', 'entries'], ['summaries', 'rebuild']]) {
      const result = await runCli([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: vitals-migrate');
    }
  });
});
