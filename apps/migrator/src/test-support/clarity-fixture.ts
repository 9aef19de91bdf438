import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ClarityFixtureOptions {
  rows: number;
  unit?: 'mg/dL' | 'mmol/L';
  /** First EGV timestamp (local time). */
  start?: string;
  /** Extra lines (already CSV) inserted after EGV row `index`. */
  inject?: { after: number; line: string }[];
}

/** Header of a Dexcom Clarity CSV export. */
export function clarityHeader(unit: 'mg/dL' | 'mmol/L'): string {
  return [
    'Index',
    'Timestamp (YYYY-MM-DDThh:mm:ss)',
    'Event Type',
    'Event Subtype',
    'Patient Info',
    'Device Info',
    'Source Device ID',
    `Glucose Value (${unit})`,
    'Insulin Value (u)',
    'Carb Value (grams)',
    'Duration (hh:mm:ss)',
    `Glucose Rate of Change (${unit}/min)`,
    'Transmitter Time (Long Integer)',
    'Transmitter ID',
  ].join(',');
}

/** The glucose value the fixture writes for EGV row `i` (mg/dL), with Low/High now and then. */
export function fixtureGlucose(i: number): number | 'Low' | 'High' {
  if (i % 997 === 13) return 'Low';
  if (i % 991 === 17) return 'High';
  return 70 + ((i * 7) % 200);
}

export function localTimestamp(startMs: number, i: number): string {
  return new Date(startMs + i * 300_000).toISOString().slice(0, 19);
}

/** Writes a synthetic Clarity export: metadata rows, then `rows` EGV rows 5 minutes apart, a calibration now and then. */
export async function writeClarityFixture(file: string, options: ClarityFixtureOptions): Promise<void> {
  const unit = options.unit ?? 'mg/dL';
  const startMs = Date.parse(`${options.start ?? '2025-01-01T00:00:00'}Z`);
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(clarityHeader(unit));
  await write('1,,FirstName,,Jane,,,,,,,,,');
  await write('2,,LastName,,Doe,,,,,,,,,');
  await write('3,,DateOfBirth,,1980-01-01,,,,,,,,,');
  await write('4,,Device,,,G7 Mobile App,Android G7,,,,,,,');
  const injected = new Map((options.inject ?? []).map((entry) => [entry.after, entry.line]));
  for (let i = 0; i < options.rows; i++) {
    const glucose = fixtureGlucose(i);
    const value = typeof glucose === 'string' ? glucose : unit === 'mmol/L' ? (glucose / 18.01559).toFixed(1) : String(glucose);
    const rate = unit === 'mmol/L' ? ((i % 5) - 2) / 18 : (i % 5) - 2;
    await write(`${i + 5},${localTimestamp(startMs, i)},EGV,,,,Android G7,${value},,,,${rate.toFixed(2)},${1000 + i * 300},8TX123`);
    if (i % 500 === 250) await write(`,${localTimestamp(startMs, i)},Calibration,,,,Android G7,${value},,,,,,8TX123`);
    const extra = injected.get(i);
    if (extra !== undefined) await write(extra);
  }
  out.end();
  await once(out, 'finish');
}

/** One EGV row of a hand-built export: the phone's local time, the value, and the transmitter's clock. */
export interface ClarityRowSpec {
  local: string;
  value: number;
  /** Transmitter Time (Long Integer), seconds on the transmitter's clock. */
  tt: number;
  transmitter?: string;
}

/**
 * A small Clarity export (header, two metadata rows, the EGV rows in the
 * order given — Clarity sorts by local time), with or without the
 * Transmitter Time column (older exports have none). Resolves with the
 * file's text and the line each row ends up on.
 */
export function clarityCsv(rows: readonly ClarityRowSpec[], options: { transmitterTime?: boolean } = {}): { text: string; lineOf: (row: ClarityRowSpec) => number } {
  const withTime = options.transmitterTime ?? true;
  const header = withTime ? clarityHeader('mg/dL') : clarityHeader('mg/dL').replace(',Transmitter Time (Long Integer)', '');
  const lines = [header, '1,,FirstName,,Jane,,,,,,,,,', '2,,Device,,,G6 Mobile App,Android G6,,,,,,,'];
  for (const [i, row] of rows.entries()) {
    const time = withTime ? `,${row.tt}` : '';
    lines.push(`${i + 3},${row.local},EGV,,,,Android G6,${row.value},,,,0${time},${row.transmitter ?? '8GH86L'}`);
  }
  return { text: `${lines.join('\n')}\n`, lineOf: (row) => rows.indexOf(row) + 4 };
}

/**
 * Readings every 5 minutes from `startUtc` as a phone shows them: `local`
 * turns an instant into the phone's wall time (`YYYY-MM-DDThh:mm:ss`), and
 * `jitter(i)` seconds are added to the displayed time the way real exports
 * wobble by a second. Sorted as Clarity sorts: by local time, and where two
 * rows share a local second, the later reading first (as in the real 2020
 * export, which starts the repeated hour with its second pass). `instants`
 * are where the readings belong: the time each phone showed, in the zone
 * it was in then.
 */
export function phoneSeries(
  startUtc: string,
  count: number,
  local: (instantMs: number) => string,
  jitter: (i: number) => number = () => 0,
): { rows: ClarityRowSpec[]; instants: string[] } {
  const start = Date.parse(startUtc);
  const epoch = start - 5_000_000 * 1_000;
  const shown = Array.from({ length: count }, (_, i) => start + i * 300_000 + jitter(i) * 1_000);
  const made = shown.map((instant, i) => ({ local: local(instant), value: 100 + i, tt: (start + i * 300_000 - epoch) / 1_000 }));
  const rows = [...made].sort((a, b) => (a.local < b.local ? -1 : a.local > b.local ? 1 : b.tt - a.tt));
  return { rows, instants: shown.map((instant) => new Date(instant).toISOString()) };
}

/** Wall time of an instant under a fixed UTC offset in hours. */
export function wallAt(offsetHours: number): (instantMs: number) => string {
  return (instant) => new Date(instant + offsetHours * 3_600_000).toISOString().slice(0, 19);
}
