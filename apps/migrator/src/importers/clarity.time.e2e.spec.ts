import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clarityCsv, phoneSeries, wallAt, type ClarityRowSpec } from '../test-support/clarity-fixture.ts';
import { runCli, storedReadings, testService, uniquePrefix } from '../test-support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'clarity-time-'));
const db = testService();

interface JsonReport {
  read: number;
  written: number;
  skipped: { where: string; reason: string }[];
  notes?: string[];
  details: { transmitter_time: boolean; time_placement: { ambiguous: number; by_transmitter_time: number; by_row_order: number } };
  counts?: { new: number; changed: number; unchanged: number; overwritten_in_file: number };
}

/** Real exports wobble by a second between readings; this mix also makes rows of both passes share a local second. */
const wobble = (i: number) => [0, 1, 0, -1, 0][i % 5] as number;

/** New York, 2025-11-02: EDT (UTC−4) until 06:00Z, then EST (UTC−5); 01:00–01:59 local happens twice. */
const newYorkFallBack = (instant: number) => (instant < Date.parse('2025-11-02T06:00:00Z') ? wallAt(-4) : wallAt(-5))(instant);
/** A phone in Berlin (CEST, UTC+2) that switches to London time (UTC+1) at 11:10Z: local time goes back an hour. */
const berlinThenLondon = (instant: number) => (instant < Date.parse('2024-07-11T11:10:00Z') ? wallAt(2) : wallAt(1))(instant);

describe('vitals-migrate import clarity: placing readings in time', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  let n = 0;
  beforeAll(async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
  });
  afterAll(() => db.close());

  async function importRows(rows: ClarityRowSpec[], zone: string, options: { transmitterTime?: boolean; flags?: string[] } = {}) {
    const user = `user-${++n}`;
    const file = join(dir, `${user}.csv`);
    const csv = clarityCsv(rows, options);
    writeFileSync(file, csv.text);
    const result = await runCli(['import', 'clarity', file, '--user', user, '--time-zone', zone, '--json', ...(options.flags ?? [])], env);
    const stored = await storedReadings(db, prefix, user);
    if (!result.stdout.startsWith('{')) throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
    return {
      result,
      report: JSON.parse(result.stdout) as JsonReport,
      stored: stored.map((reading) => [reading['timestamp'], reading['glucose_value']]),
      lineOf: csv.lineOf,
    };
  }
  const expectedOf = (instants: string[]) => instants.map((instant, i) => [instant, 100 + i]);

  describe('the hour repeated when clocks go back, its two passes alternating row by row', () => {
    const { rows, instants } = phoneSeries('2025-11-02T04:32:18Z', 36, newYorkFallBack, wobble);

    it('stores every reading at the instant its Transmitter Time gives: none an hour late, none lost where passes share a local second', async () => {
      const sharedSeconds = rows.filter((row, i) => rows.findIndex((other) => other.local === row.local) !== i);
      expect(sharedSeconds.length).toBeGreaterThan(0);
      const { result, report, stored } = await importRows(rows, 'America/New_York');
      expect(result.code).toBe(0);
      expect(stored).toEqual(expectedOf(instants));
      expect(report).toMatchObject({ read: 36, written: 36, skipped: [] });
      expect(report.details.time_placement).toMatchObject({ ambiguous: 24, by_transmitter_time: 24, by_row_order: 0 });
      expect(report.notes).toEqual([expect.stringContaining('24 rows in the hour repeated when clocks went back were placed by Transmitter Time')]);
    });

    it('does the same in a strict run (two passes over the file)', async () => {
      const { result, stored } = await importRows(rows, 'America/New_York', { flags: ['--strict'] });
      expect(result.code).toBe(0);
      expect(stored).toEqual(expectedOf(instants));
    });

    it('places rows of a transmitter first seen inside the repeated hour once its clock is known', async () => {
      const late = phoneSeries('2025-11-02T05:02:18Z', 30, newYorkFallBack, wobble);
      const { result, stored } = await importRows(late.rows, 'America/New_York');
      expect(result.code).toBe(0);
      expect(stored).toEqual(expectedOf(late.instants));
    });

    it('without a Transmitter Time column, falls back to row order and says so in the report, listing what it lost', async () => {
      const { result, report } = await importRows(rows, 'America/New_York', { transmitterTime: false });
      // Row order cannot untangle alternating passes: rows sharing a local second land on one instant, and the report says which.
      expect(result.code).toBe(1);
      expect(report.skipped.length).toBeGreaterThan(0);
      for (const skip of report.skipped) expect(skip.reason).toMatch(/^replaced by line \d+: .*without Transmitter Time nothing tells the two apart$/);
      expect(report.details).toMatchObject({ transmitter_time: false, time_placement: { ambiguous: 24, by_transmitter_time: 0, by_row_order: 24 } });
      expect(report.notes).toEqual([expect.stringMatching(/24 rows .* placed by row order \(the export has no Transmitter Time column\)/)]);
    });
  });

  describe('the same local time twice outside a DST change (the phone\'s time zone changed)', () => {
    const { rows, instants } = phoneSeries('2024-07-11T10:00:25Z', 36, berlinThenLondon, wobble);
    const firstAfterChange = rows.find((row) => row.local === '2024-07-11T12:10:25' && row.value === 114) as ClarityRowSpec;

    it('keeps both readings of a shared local second, placing each by Transmitter Time, and reports where the clock changed', async () => {
      expect(rows.filter((row) => row.local === '2024-07-11T12:10:25')).toHaveLength(2);
      const { result, report, stored, lineOf } = await importRows(rows, 'Europe/Berlin');
      expect(result.code).toBe(0);
      expect(stored).toEqual(expectedOf(instants));
      expect(report).toMatchObject({ read: 36, written: 36, skipped: [] });
      expect(report.notes).toEqual([
        `line ${lineOf(firstAfterChange)}: the local time moves back 1:00 h against transmitter 8GH86L's clock ` +
          "(the phone's time zone changed?); its readings from here on are placed by Transmitter Time",
      ]);
    });

    it('without Transmitter Time, reports each reading a later row replaced, with both lines (exit 1)', async () => {
      const { result, report, stored, lineOf } = await importRows(rows, 'Europe/Berlin', { transmitterTime: false });
      expect(result.code).toBe(1);
      const shared = rows.filter((row, i) => rows.findIndex((other) => other.local === row.local) !== i);
      expect(shared.length).toBeGreaterThan(0);
      expect(report.skipped).toEqual(
        shared.map((later) => {
          const earlier = rows.find((row) => row.local === later.local) as ClarityRowSpec;
          return {
            where: `line ${lineOf(earlier)}`,
            reason: expect.stringMatching(new RegExp(`^replaced by line ${lineOf(later)}: both are .* \\(${later.local} in Europe/Berlin\\), and without Transmitter Time`)),
          };
        }),
      );
      expect(stored).toHaveLength(36 - shared.length);
    });
  });

  describe('a row repeated in the file, its two copies in different write chunks', () => {
    // 1,000 readings go to the repository at a time, several chunks at once: the copies end one chunk and start the next.
    const start = Date.parse('2025-03-01T00:00:00Z');
    const rows: ClarityRowSpec[] = Array.from({ length: 1_200 }, (_, i) => ({
      local: wallAt(0)(start + i * 300_000),
      value: 70 + (i % 200),
      tt: 1_000 + i * 300,
    }));
    const later = { ...(rows[999] as ClarityRowSpec), value: 333 };
    rows.splice(1_000, 0, later);

    it("stores the later copy's reading once, and a re-import of the file changes nothing", async () => {
      const first = await importRows(rows, 'UTC');
      expect(first.result.code).toBe(1);
      expect(first.report.skipped).toEqual([{ where: `line ${first.lineOf(rows[999] as ClarityRowSpec)}`, reason: expect.stringMatching(/^replaced by line /) }]);
      expect(first.report.counts).toEqual({ new: 1_200, changed: 0, unchanged: 0, overwritten_in_file: 1 });
      expect(first.stored).toHaveLength(1_200);
      expect(first.stored[999]).toEqual([new Date(start + 999 * 300_000).toISOString(), 333]);

      const user = `user-${n}`;
      const file = join(dir, `${user}.csv`);
      const again = await runCli(['import', 'clarity', file, '--user', user, '--time-zone', 'UTC', '--json'], env);
      expect(JSON.parse(again.stdout).counts).toEqual({ new: 0, changed: 0, unchanged: 1_200, overwritten_in_file: 1 });
      expect((await storedReadings(db, prefix, user)).map((reading) => [reading['timestamp'], reading['glucose_value']])).toEqual(first.stored);
    });
  });
});
