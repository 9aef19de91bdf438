import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EntriesFileRecord } from '../entries/entries-format.ts';

export interface EntriesFixtureOptions {
  /** Consecutive days from January 1st (at most a year). */
  days: number;
  /** Entries per day, spread evenly over it. */
  entriesPerDay: number;
  year?: number;
}

const MEDICATIONS = ['oxycodone', 'journavx', 'tylenol', 'gabapentin', 'ibuprofen'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `MMDD` of day `day` (0 = January 1st) of `year`. */
export function fixtureDayKey(year: number, day: number): string {
  const date = new Date(Date.UTC(year, 0, 1 + day));
  return `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/**
 * The record the fixture writes for entry `slot` of day `day`: 0 to 3
 * medications in rotating order (so every medication is first somewhere and
 * later elsewhere), pain at one to three locations, activities, and now and
 * then O2, blood pressure, sleep and a note with quotes and non-ASCII text.
 */
export function fixtureRecord(day: number, slot: number): EntriesFileRecord {
  const n = day * 31 + slot;
  const medications = Object.fromEntries(
    Array.from({ length: n % 4 }, (_, k) => [MEDICATIONS[(n + k) % MEDICATIONS.length] as string, `${5 * (k + 1)}mg`]),
  );
  const pain = Object.fromEntries(
    ['back', 'quads', 'glutes'].slice(0, 1 + (n % 3)).map((location, k) => [location, `${n % 5}-${(n + k) % 11}`]),
  );
  return {
    Medications: medications,
    Pain: pain,
    Activities: n % 2 === 0 ? { walking: n % 40, standing: 5 } : {},
    ...(n % 3 === 0 ? { o2: String(88 + (n % 12)) } : {}),
    ...(n % 4 === 0 ? { bpr: `${110 + (n % 40)}/${60 + (n % 25)}` } : {}),
    ...(n % 5 === 0 ? { note: `day ${day} "slot" ${slot}: Schmerz é ✓` } : {}),
    ...(slot === 0 ? { sleep: `${5 + (n % 4)}:${pad(n % 60)}` } : {}),
  };
}

/** `HHMM` of entry `slot` when a day has `perDay` entries spread evenly. */
export function fixtureTime(slot: number, perDay: number): string {
  const minutes = Math.floor((slot * 1_440) / perDay);
  return `${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
}

/**
 * Writes a synthetic `entries.json` of any size, streamed (nothing of it is
 * held in memory), pretty-printed like a hand-kept log. Resolves with the
 * number of entries written.
 */
export async function writeEntriesFixture(file: string, options: EntriesFixtureOptions): Promise<number> {
  const year = options.year ?? 2025;
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{');
  for (let day = 0; day < options.days; day++) {
    const records = Array.from(
      { length: options.entriesPerDay },
      (_, slot) => `\n    "${fixtureTime(slot, options.entriesPerDay)}": ${JSON.stringify(fixtureRecord(day, slot))}`,
    );
    await write(`${day === 0 ? '' : ','}\n  "${fixtureDayKey(year, day)}": {${records.join(',')}\n  }`);
  }
  await write('\n}\n');
  out.end();
  await once(out, 'finish');
  return options.days * options.entriesPerDay;
}
