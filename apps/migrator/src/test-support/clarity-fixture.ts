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
