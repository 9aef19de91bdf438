import {
  HealthEntryInputSchema,
  isHealthDate,
  isHealthTime,
  toHealthEntry,
  type HealthEntry,
  type HealthEntryInput,
} from '@vitals/models';
import type { Skipped } from '../report/report.ts';

/*
 * The file the health log is kept in, `entries.json`:
 * `{ MMDD: { HHMM: { Medications, Pain, Activities, o2, bpr, note, sleep } } }`.
 * Days carry no year (hence `--year`: without it next May's entries would overwrite this May's); both directions live here.
 */

/** The file's field names and the entry fields they hold; nothing else may appear in a record. */
const FIELDS = { Medications: 'medications', Pain: 'pain', Activities: 'activities', o2: 'o2', bpr: 'bpr', note: 'note', sleep: 'sleep' } as const;
type FileField = keyof typeof FIELDS;
const FILE_NAME_OF = Object.fromEntries(Object.entries(FIELDS).map(([file, entry]) => [entry, file])) as Record<string, FileField>;

/** One record of the file, as written. */
export type EntriesFileRecord = {
  Medications?: Record<string, string>;
  Pain?: Record<string, string>;
  Activities?: Record<string, number>;
  o2?: string;
  bpr?: string;
  note?: string;
  sleep?: string;
};

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

/**
 * One record: its field names are the file's, its values are checked by
 * `HealthEntryInputSchema` — the same schema the repository applies — so a
 * record reported as good is one the repository stores.
 */
function parseFileRecord(date: string, path: string, time: string, record: unknown): FileEntry | { problems: Skipped[] } {
  const fail = (...reasons: string[]) => ({ problems: reasons.map((reason) => ({ where: path, reason })) });
  if (!isHealthTime(time)) return fail(`time ${JSON.stringify(time)} is not HHMM (0000..2359)`);
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return fail(`an entry must be an object, got ${describe(record)}`);
  const unknown = Object.keys(record).filter((name) => !Object.hasOwn(FIELDS, name));
  if (unknown.length > 0) {
    return fail(...unknown.map((name) => `unknown field ${JSON.stringify(name)} (an entry has ${Object.keys(FIELDS).join(', ')})`));
  }
  const body = Object.fromEntries(Object.entries(record).map(([name, value]) => [FIELDS[name as FileField], value]));
  const parsed = HealthEntryInputSchema.safeParse(body);
  if (!parsed.success) {
    // Notation problems name their field already (`pain.back "6-x-8" is not a pain level`); shape problems get the file's path.
    return fail(
      ...parsed.error.issues.map((issue) => {
        if (issue.code === 'custom') return issue.message;
        const [field, ...rest] = issue.path.map((part) => (part === '' ? '""' : String(part)));
        return `${[FILE_NAME_OF[field ?? ''] ?? field, ...rest].join('.') || '(entry)'}: ${issue.message}`;
      }),
    );
  }
  return { path, date, time, input: parsed.data, entry: toHealthEntry(date, time, parsed.data) };
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
