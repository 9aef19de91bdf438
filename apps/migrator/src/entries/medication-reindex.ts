import { healthEntryItems, type MedicationIndexItem } from '@vitals/models';
import { DailySummaryRepository, HealthEntryRepository } from '@vitals/repositories';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { InFlight } from '../runtime/in-flight.ts';
import { checkDayRange, dayRangeArguments } from '../runtime/day-range.ts';
import { datesBetween } from './entries-format.ts';

/** Days read at once. */
const DAYS_IN_FLIGHT = 8;

export interface ReindexOptions {
  from?: string;
  to?: string;
  dryRun: boolean;
}

/**
 * Writes the medication index items stored entries need but lack — the
 * lower-case items that case-insensitive medication queries look up, for
 * entries stored before those existed (see the models README, "Medication
 * index"). Each day's items are computed from its stored entries, primary
 * medication included, so nothing else changes; items already there are
 * left alone, so a re-run writes nothing. Open bounds default to the first
 * and last stored date, as for `summaries rebuild`. A dry run lists what is
 * missing and writes nothing.
 */
export async function reindexMedications(context: MigratorContext, options: ReindexOptions): Promise<Report> {
  const started = performance.now();
  checkDayRange(options);
  const entries = context.container.get(HealthEntryRepository);
  const stored = options.from === undefined || options.to === undefined ? await context.container.get(DailySummaryRepository).storedDateRange() : undefined;
  const from = options.from ?? stored?.from;
  const to = options.to ?? stored?.to;
  const missing: MedicationIndexItem[] = [];
  const added: Skipped[] = [];
  const skipped: Skipped[] = [];
  let read = 0;
  if (from !== undefined && to !== undefined && from <= to) {
    const inFlight = new InFlight(DAYS_IN_FLIGHT);
    for (const date of datesBetween(from, to)) {
      await inFlight.add(async () => {
        const day = await entries.readDay(date);
        read += day.entries.length;
        for (const item of day.skipped) skipped.push({ where: `${date}/${String(item.key['timestamp'])}`, reason: `invalid in the table, not reindexed: ${item.issues.join('; ')}` });
        const present = new Set(day.medication_index_items.map((item) => item.timestamp));
        for (const entry of day.entries) {
          for (const item of healthEntryItems(entry).medication_index_items) {
            if (present.has(item.timestamp)) continue;
            missing.push(item);
            added.push({ where: `${date}/${entry.timestamp}`, reason: `medication index item "${item.medication_taken}"` });
          }
        }
      });
    }
    await inFlight.drain();
  }
  added.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : a.reason < b.reason ? -1 : 1));
  if (!options.dryRun && missing.length > 0) await entries.putIndexItems(missing);
  return finishReport(
    {
      command: `entries reindex${dayRangeArguments(options)}`,
      dry_run: options.dryRun,
      read,
      written: options.dryRun ? 0 : missing.length,
      skipped,
      details: { from, to, missing: added },
      exit_code: skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}
