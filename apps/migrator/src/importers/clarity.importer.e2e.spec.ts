import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, storedReadings, testService, uniquePrefix } from '../test-support/run-cli.ts';
import { clarityHeader, writeClarityFixture } from '../test-support/clarity-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'clarity-'));
const db = testService();
const readingsOf = (prefix: string, user: string) => storedReadings(db, prefix, user);

interface JsonReport {
  read: number;
  written: number;
  counts?: { new: number; changed: number; unchanged: number; overwritten_in_file: number };
  skipped: { where: string; reason: string }[];
  details: Record<string, unknown>;
}

describe('vitals-migrate import clarity', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  beforeAll(async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
  });
  afterAll(() => db.close());

  it('imports every EGV row of an mg/dL export (metadata and calibrations passed over), and a re-import adds nothing', async () => {
    const file = join(dir, 'mgdl.csv');
    await writeClarityFixture(file, { rows: 1_500 });
    const first = await runCli(['import', 'clarity', file, '--user', 'jane', '--json'], env);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as JsonReport;
    expect(report).toMatchObject({ read: 1_500, written: 1_500, skipped: [], details: { ignored_rows: 7 } });

    const stored = await readingsOf(prefix, 'jane');
    expect(stored).toHaveLength(1_500);
    expect(stored[0]).toMatchObject({
      timestamp: '2025-01-01T00:00:00.000Z',
      glucose_value: 70,
      glucose_unit: 'mg/dL',
      trend_direction: 'falling', // rate -2 mg/dL/min: falling (only below -2 is falling_rapidly)
      device_info: { device_id: 'Android G7', transmitter_id: '8TX123' },
    });
    expect(stored.find((item) => item['out_of_range'] === 'low')).toMatchObject({ glucose_value: 39 });
    expect(stored.find((item) => item['out_of_range'] === 'high')).toMatchObject({ glucose_value: 401 });

    const again = await runCli(['import', 'clarity', file, '--user', 'jane', '--json'], env);
    expect(again.code).toBe(0);
    expect(await readingsOf(prefix, 'jane')).toHaveLength(1_500);
  });

  it('reports readings new, changed and unchanged; re-importing an unchanged reading writes nothing and keeps its created_at and updated_at', async () => {
    const file = join(dir, 'counts.csv');
    await writeClarityFixture(file, { rows: 576 });
    const first = await runCli(['import', 'clarity', file, '--user', 'counts', '--json'], env);
    expect(JSON.parse(first.stdout)).toMatchObject({ read: 576, written: 576, counts: { new: 576, changed: 0, unchanged: 0, overwritten_in_file: 0 } });
    const before = await readingsOf(prefix, 'counts');

    const again = await runCli(['import', 'clarity', file, '--user', 'counts'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('read 576, written 0 (new 0, changed 0; unchanged 576), skipped 0');
    expect(await readingsOf(prefix, 'counts')).toEqual(before);

    // One value corrected in a later export: that reading changes, keeping when it was first stored.
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('105,'));
    lines[at] = (lines[at] as string).replace(/,Android G7,\d+,/, ',Android G7,99,');
    writeFileSync(file, lines.join('\n'));
    const changed = await runCli(['import', 'clarity', file, '--user', 'counts', '--json'], env);
    expect(JSON.parse(changed.stdout)).toMatchObject({ written: 1, counts: { new: 0, changed: 1, unchanged: 575 } });
    const after = await readingsOf(prefix, 'counts');
    const index = before.findIndex((reading, i) => reading['glucose_value'] !== after[i]?.['glucose_value']);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(after[index]).toMatchObject({ glucose_value: 99, created_at: before[index]?.['created_at'] });
    expect(after[index]?.['updated_at'] as string > (before[index]?.['updated_at'] as string)).toBe(true);
    expect(after.filter((_, i) => i !== index)).toEqual(before.filter((_, i) => i !== index));
  });

  it('reads mmol/L exports by their header and converts to mg/dL', async () => {
    const file = join(dir, 'mmol.csv');
    await writeClarityFixture(file, { rows: 20, unit: 'mmol/L' });
    const result = await runCli(['import', 'clarity', file, '--user', 'mo', '--json'], env);
    expect(result.code).toBe(0);
    const stored = await readingsOf(prefix, 'mo');
    expect(stored).toHaveLength(20);
    // 70 mg/dL was written as 3.9 mmol/L → 3.9 × 18.01559 = 70.26 → 70
    expect(stored[0]?.['glucose_value']).toBe(70);
    expect(stored[0]?.['glucose_unit']).toBe('mg/dL');
  });

  it('converts local timestamps with --time-zone', async () => {
    const file = join(dir, 'tz.csv');
    await writeClarityFixture(file, { rows: 1, start: '2025-07-01T08:00:00' });
    expect((await runCli(['import', 'clarity', file, '--user', 'tz', '--time-zone', 'America/New_York'], env)).code).toBe(0);
    expect((await readingsOf(prefix, 'tz'))[0]?.['timestamp']).toBe('2025-07-01T12:00:00.000Z');
  });

  it('keeps both passes through the hour repeated when clocks go back, also in a strict run (two passes over the file)', async () => {
    const file = join(dir, 'fall-back.csv');
    const times = ['00:55', '01:00', '01:30', '01:55', '01:00', '01:30', '01:55', '02:00'];
    // Transmitter Time in step with the readings, as in real exports: seconds since 04:55Z, plus the transmitter's age.
    const seconds = [0, 300, 2_100, 3_600, 3_900, 5_700, 7_200, 7_500];
    const rows = times.map((time, i) => `${i + 1},2025-11-02T${time}:00,EGV,,,,Android G7,${100 + i},,,,0,${900_000 + (seconds[i] as number)},8TX123`);
    writeFileSync(file, `${clarityHeader('mg/dL')}\n${rows.join('\n')}\n`);
    expect((await runCli(['import', 'clarity', file, '--user', 'fall', '--time-zone', 'America/New_York', '--strict'], env)).code).toBe(0);
    const stored = await readingsOf(prefix, 'fall');
    expect(stored.map((reading) => [reading['timestamp'], reading['glucose_value']])).toEqual(
      ['04:55', '05:00', '05:30', '05:55', '06:00', '06:30', '06:55', '07:00'].map((time, i) => [`2025-11-02T${time}:00.000Z`, 100 + i]),
    );
  });

  describe('bad records', () => {
    const inject = [
      { after: 3, line: '99,2025-01-01T00:17:00,EGV,,,,Android G7,abc,,,,0,1,8TX123' },
      { after: 5, line: '98,not-a-time,EGV,,,,Android G7,120,,,,0,1,8TX123' },
      { after: 7, line: '97,2025-01-01T00:47:00,EGV,,,,Android G7,9000,,,,0,1,8TX123' },
    ];

    it('are reported with their line and reason; the valid records still go in (exit 1)', async () => {
      const file = join(dir, 'bad.csv');
      await writeClarityFixture(file, { rows: 10, inject });
      const result = await runCli(['import', 'clarity', file, '--user', 'bad', '--json'], env);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report).toMatchObject({ read: 13, written: 10 });
      expect(report.skipped).toEqual([
        { where: 'line 10', reason: expect.stringContaining('"abc"') },
        { where: 'line 13', reason: expect.stringContaining('"not-a-time"') },
        { where: 'line 16', reason: expect.stringContaining('glucose_value') },
      ]);
      expect(await readingsOf(prefix, 'bad')).toHaveLength(10);
    });

    it('with --strict, abort before anything is written', async () => {
      const file = join(dir, 'strict.csv');
      await writeClarityFixture(file, { rows: 10, inject });
      const result = await runCli(['import', 'clarity', file, '--user', 'strict', '--strict', '--json'], env);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ written: 0, details: { aborted: expect.stringContaining('strict') } });
      expect(await readingsOf(prefix, 'strict')).toHaveLength(0);
    });
  });

  it('--dry-run validates everything and writes nothing', async () => {
    const file = join(dir, 'dry.csv');
    await writeClarityFixture(file, { rows: 30 });
    const result = await runCli(['import', 'clarity', file, '--user', 'dry', '--dry-run', '--json'], env);
    expect(JSON.parse(result.stdout)).toMatchObject({ dry_run: true, read: 30, written: 0 });
    expect(await readingsOf(prefix, 'dry')).toHaveLength(0);
  });

  describe('usage errors: one line on stderr, exit 2, nothing written', () => {
    const csv = () => {
      const file = join(dir, 'usage.csv');
      writeFileSync(file, `${clarityHeader('mg/dL')}\n1,2025-01-01T00:00:00,EGV,,,,Android G7,100,,,,0,1000,8TX123\n`);
      return file;
    };
    const write = (name: string, content: string) => () => {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    };
    it.each<[string, () => string[], string | RegExp]>([
      ['a missing file', () => [join(dir, 'missing.csv')], /missing\.csv: no such file$/],
      ['a directory', () => [(mkdirSync(join(dir, 'a-dir'), { recursive: true }), join(dir, 'a-dir'))], /a-dir: not a file \(a directory\)$/],
      ['an empty file', () => [write('empty.csv', '')()], /empty\.csv: not a Clarity export: the file is empty$/],
      ['a CSV that is not a Clarity export', () => [write('other.csv', 'date,steps\n2025-01-01,1000\n')()], /other\.csv: not a Clarity export: no "Timestamp \(YYYY-MM-DDThh:mm:ss\)", no "Event Type", no "Glucose Value \(mg\/dL\)" or "Glucose Value \(mmol\/L\)" column$/],
      ['a Clarity-like CSV without "Event Type"', () => [write('no-event.csv', 'Timestamp (YYYY-MM-DDThh:mm:ss),Glucose Value (mg/dL)\n2025-01-01T00:00:00,100\n')()], /not a Clarity export: no "Event Type" column$/],
      ['a JSON file', () => [write('entries.json', '{"0523": {}}\n')()], /entries\.json: not a Clarity export: its first line is not CSV/],
      ['an unknown --time-zone', () => [csv(), '--time-zone', 'Mars/Olympus'], /argument 'Mars\/Olympus' is invalid\. must be a known IANA time zone/],
      ['--time-zone without a value', () => [csv(), '--time-zone'], /option '--time-zone <zone>' argument missing/],
      ['an empty --user', () => [csv(), '--user', ''], /option '--user <id>' argument '' is invalid/],
      ['an unknown option', () => [csv(), '--bogus'], /unknown option '--bogus'/],
    ])('%s', async (_name, args, message) => {
      const result = await runCli(['import', 'clarity', '--user', 'nobody', ...args()], env);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^vitals-migrate: /);
      expect(lines[0]).toMatch(message);
      expect(result.stdout).toBe('');
      expect(await readingsOf(prefix, 'nobody')).toHaveLength(0);
    });
  });

  it('without --user is a usage error', async () => {
    const result = await runCli(['import', 'clarity', join(dir, 'mgdl.csv')], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("vitals-migrate: required option '--user <id>' not specified (see --help)\n");
  });
});
