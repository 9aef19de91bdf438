import {
  deriveHealthEntry,
  healthEntryKey,
  isHealthDate,
  isHealthTime,
  type HealthEntry,
  type HealthEntryInput,
} from '@vitals/models';
import { z } from 'zod';
import type { Skipped } from '../report/report.ts';

/*
 * The health log's reference file, `entries.json`:
 * `{ MMDD: { HHMM: { Medications, Pain, Activities, o2, bpr, note, sleep } } }`.
 * Days carry no year (hence `--year`, DESIGN §8.1); both directions live here.
 */

/** One record of the file, as written: the only fields it may have. */
const EntriesFileRecordSchema = z.strictObject({
  Medications: z.record(z.string(), z.string()).optional(),
  Pain: z.record(z.string(), z.string()).optional(),
  Activities: z.record(z.string(), z.number().min(0)).optional(),
  o2: z.string().optional(),
  bpr: z.string().optional(),
  note: z.string().optional(),
  sleep: z.string().optional(),
});
export type EntriesFileRecord = z.infer<typeof EntriesFileRecordSchema>;

/** A record of the file that parsed: where it goes, what a client would send, and the entry it is stored as. */
export interface FileEntry {
  /** `MMDD/HHMM`, as the file names it. */
  path: string;
  date: string;
  time: string;
  input: HealthEntryInput;
  entry: HealthEntry;
}

/** One day of the file: its date (unless the key is not one), the records that parsed, and the ones that did not. */
export interface FileDay {
  key: string;
  date: string | undefined;
  /** Records the day holds (good and bad): what a report counts as read. */
  records: number;
  entries: FileEntry[];
  problems: Skipped[];
}

const describe = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value);

/** `MMDD` of `year` as `YYYY-MM-DD`, or undefined when it is not a day of that year. */
export function dateOfDayKey(key: string, year: number): string | undefined {
  if (!/^\d{4}$/.test(key)) return undefined;
  const date = `${String(year).padStart(4, '0')}-${key.slice(0, 2)}-${key.slice(2)}`;
  return isHealthDate(date) ? date : undefined;
}

/** Every `YYYY-MM-DD` from `from` to `to` (inclusive), in order. */
export function* datesBetween(from: string, to: string): Generator<string> {
  const end = Date.parse(`${to}T00:00:00.000Z`);
  for (let day = Date.parse(`${from}T00:00:00.000Z`); day <= end; day += 86_400_000) yield new Date(day).toISOString().slice(0, 10);
}

/** Every `YYYY-MM-DD` of `year`, in order. */
export function datesOfYear(year: number): Generator<string> {
  const yyyy = String(year).padStart(4, '0');
  return datesBetween(`${yyyy}-01-01`, `${yyyy}-12-31`);
}

/** The `MMDD` key of a `YYYY-MM-DD` date. */
export function dayKeyOf(date: string): string {
  return `${date.slice(5, 7)}${date.slice(8, 10)}`;
}

/**
 * Reads one `MMDD: { HHMM: record }` pair of the file. A record with the
 * wrong shape, a bad time key or a value that does not parse (pain level,
 * blood pressure, sleep, O2, medication name) is a problem at its path —
 * `0523/1300`, with the reason — and the day's other records still parse.
 */
export function parseFileDay(key: string, value: unknown, year: number): FileDay {
  const date = dateOfDayKey(key, year);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const records = isObject ? Object.keys(value).length : 1;
  if (date === undefined) {
    return { key, date, records, entries: [], problems: [{ where: key, reason: `${JSON.stringify(key)} is not a day (MMDD) of ${year}` }] };
  }
  if (!isObject) {
    return { key, date, records, entries: [], problems: [{ where: key, reason: `a day must be an object of HHMM: entry, got ${describe(value)}` }] };
  }
  const day: FileDay = { key, date, records, entries: [], problems: [] };
  for (const [time, record] of Object.entries(value)) {
    const parsed = parseFileRecord(date, `${key}/${time}`, time, record);
    if ('entry' in parsed) day.entries.push(parsed);
    else day.problems.push(...parsed.problems);
  }
  return day;
}

function parseFileRecord(date: string, path: string, time: string, record: unknown): FileEntry | { problems: Skipped[] } {
  const fail = (reason: string) => ({ problems: [{ where: path, reason }] });
  if (!isHealthTime(time)) return fail(`time ${JSON.stringify(time)} is not HHMM (0000..2359)`);
  const shape = EntriesFileRecordSchema.safeParse(record);
  if (!shape.success) {
    return {
      problems: shape.error.issues.map((issue) => ({
        where: path,
        reason:
          issue.path.length > 0
            ? `${issue.path.join('.')}: ${issue.message}`
            : issue.code === 'invalid_type'
              ? `an entry must be an object, got ${describe(record)}`
              : issue.message,
      })),
    };
  }
  const { Medications, Pain, Activities, ...rest } = shape.data;
  const input: HealthEntryInput = { medications: Medications ?? {}, pain: Pain ?? {}, activities: Activities ?? {}, ...rest };
  const derived = deriveHealthEntry({ ...healthEntryKey(date, time), ...input }, path);
  if (!derived.ok) {
    return { problems: derived.errors.map((error) => ({ where: path, reason: error.message.slice(`${path}: `.length) })) };
  }
  return { path, date, time, input, entry: derived.value as HealthEntry };
}

/**
 * An entry back in the file's shape. `Medications`, `Pain` and `Activities`
 * are always written (empty when the entry has none); the primary medication
 * comes first, since DynamoDB keeps no order of the others.
 */
export function toFileRecord(entry: HealthEntry): EntriesFileRecord {
  const primary = entry.medication_taken;
  const medications =
    primary === undefined || !Object.hasOwn(entry.medications, primary)
      ? entry.medications
      : { [primary]: entry.medications[primary] as string, ...entry.medications };
  return {
    Medications: medications,
    Pain: entry.pain,
    Activities: entry.activities,
    ...(entry.o2 === undefined ? {} : { o2: entry.o2 }),
    ...(entry.bpr === undefined ? {} : { bpr: entry.bpr }),
    ...(entry.note === undefined ? {} : { note: entry.note }),
    ...(entry.sleep === undefined ? {} : { sleep: entry.sleep }),
  };
}
