import { healthEntryItems, type DailySummary, type MedicationIndexItem } from '@vitals/models';
import { DailySummaryRepository, HealthEntryRepository, MAX_PAGE_LIMIT, type HealthDay } from '@vitals/repositories';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { InFlight } from '../runtime/in-flight.ts';
import { datesOfYear, dayKeyOf, type FileEntry } from './entries-format.ts';
import { readEntriesFile } from './entries-file.ts';
import { summaryDifferences } from './summary-check.ts';
import { valueDifferences } from './value-differences.ts';

/** Days compared at once. */
const DAYS_IN_FLIGHT = 8;

const FILE_VS_TABLE = { expected: 'in the file', actual: 'in the table' };

/**
 * Compares an `entries.json` file with the tables for `year`: every valid
 * record of the file must be stored exactly (raw and derived attributes),
 * with exactly its medication index items, nothing else may be stored on
 * the year's days, and every day's summary must be what its entries add up
 * to. Each difference is reported at its `MMDD/HHMM` (or `MMDD summary`);
 * bad records of the file are reported as skipped. Exit 1 on either.
 * `file` must have passed `assertJsonFile`.
 */
export async function verifyEntries(context: MigratorContext, file: string, options: { year: number }): Promise<Report> {
  const started = performance.now();
  const entries = context.container.get(HealthEntryRepository);
  const summaries = context.container.get(DailySummaryRepository);
  const { year } = options;

  const stored = await summaries.listRange(`${year}-01-01`, `${year}-12-31`, { limit: MAX_PAGE_LIMIT });
  const summaryOf = new Map(stored.items.map((summary) => [summary.date, summary]));
  const invalidSummaries = new Set(stored.skipped.map((item) => String(item.key['date'])));
  const differences: Skipped[] = stored.skipped.map((item) => ({
    where: `${dayKeyOf(String(item.key['date']))} summary`,
    reason: `invalid in the table: ${item.issues.join('; ')}`,
  }));
  const skipped: Skipped[] = [];
  let read = 0;
  let storedEntries = 0;

  const inFlight = new InFlight(DAYS_IN_FLIGHT);
  const compare = (date: string, expected: readonly FileEntry[]) =>
    inFlight.add(async () => {
      const day = await entries.readDay(date);
      storedEntries += day.entries.length;
      differences.push(...dayDifferences(day, expected, invalidSummaries.has(date) ? 'invalid' : summaryOf.get(date)));
    });

  const inFile = new Set<string>();
  for await (const day of readEntriesFile(file, year)) {
    read += day.records;
    skipped.push(...day.problems);
    if (day.date === undefined || inFile.has(day.date)) continue;
    inFile.add(day.date);
    await compare(day.date, day.entries);
  }
  for (const date of datesOfYear(year)) if (!inFile.has(date)) await compare(date, []);
  await inFlight.drain();

  differences.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
  return finishReport(
    {
      command: `verify entries ${file}`,
      dry_run: false,
      read,
      written: 0,
      skipped,
      differences,
      details: { year, stored_entries: storedEntries, stored_summaries: stored.items.length },
      exit_code: differences.length > 0 || skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}

/** Differences of one day: its entries, their medication index items, and its summary. */
function dayDifferences(day: HealthDay, expected: readonly FileEntry[], summary: DailySummary | 'invalid' | undefined): Skipped[] {
  const key = dayKeyOf(day.date);
  const at = (time: string) => `${key}/${time}`;
  const differences: Skipped[] = day.skipped.map((item) => ({
    where: at(String(item.key['timestamp'])),
    reason: `invalid in the table: ${item.issues.join('; ')}`,
  }));

  const storedEntries = new Map(day.entries.map((entry) => [entry.timestamp, entry]));
  const expectedIndex = new Map<string, MedicationIndexItem>();
  /** Entries stored exactly as the file has them: only their index items' contents are worth comparing. */
  const matched = new Set<string>();
  for (const { time, entry } of expected) {
    const storedEntry = storedEntries.get(time);
    storedEntries.delete(time);
    if (storedEntry === undefined) {
      differences.push({ where: at(time), reason: 'in the file, not in the table' });
      continue;
    }
    const entryDifferences = valueDifferences(entry, storedEntry, FILE_VS_TABLE);
    differences.push(...entryDifferences.map((reason) => ({ where: at(time), reason })));
    if (entryDifferences.length === 0) matched.add(time);
    for (const item of healthEntryItems(entry).medication_index_items) expectedIndex.set(item.timestamp, item);
  }
  for (const extra of storedEntries.values()) differences.push({ where: at(extra.timestamp), reason: 'in the table, not in the file' });

  const rewritten = new Set(expected.map((entry) => entry.time));
  for (const item of day.medication_index_items) {
    const wanted = expectedIndex.get(item.timestamp);
    expectedIndex.delete(item.timestamp);
    const where = at(item.entry_timestamp);
    if (wanted !== undefined) {
      if (!matched.has(item.entry_timestamp)) continue;
      const label = `medication index item "${item.medication_taken}"`;
      differences.push(...valueDifferences(wanted, item, FILE_VS_TABLE).map((reason) => ({ where, reason: `${label}: ${reason}` })));
    } else if (rewritten.has(item.entry_timestamp) || !storedEntries.has(item.entry_timestamp)) {
      // Extra entries are reported above; their index items would only repeat that.
      differences.push({ where, reason: `medication index item "${item.medication_taken}" is stored, but the file's entry does not list it as a further medication` });
    }
  }
  for (const missing of expectedIndex.values()) {
    differences.push({ where: at(missing.entry_timestamp), reason: `medication index item "${missing.medication_taken}" is missing` });
  }

  // An invalid stored summary is reported once, as invalid, above.
  if (summary !== 'invalid') differences.push(...summaryDifferences(day, summary).map((reason) => ({ where: `${key} summary`, reason })));
  return differences;
}
