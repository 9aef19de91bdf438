import { DailySummaryRepository, HealthEntryRepository } from '@vitals/repositories';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { InFlight } from '../runtime/in-flight.ts';
import { STRICT_ABORT } from '../runtime/passes.ts';
import { checkDayRange, dayRangeArguments } from '../runtime/day-range.ts';
import { datesBetween } from './entries-format.ts';
import { summaryDifferences } from './summary-check.ts';

/** Days read, or rebuilt, at once. */
const DAYS_IN_FLIGHT = 8;

export interface RebuildOptions {
  from?: string;
  to?: string;
  dryRun: boolean;
  strict: boolean;
}

/**
 * Recomputes the daily summaries of every day from `from` to `to` from the
 * entries the table holds (days without entries lose their summary). An
 * open end defaults to the first or last date that has entries or a
 * summary, so without bounds everything is covered. Every day is read
 * first: the days whose summary differs from its entries are listed, and
 * invalid stored items (left out of the sums) are reported as skipped. A
 * dry run stops there, and so does a strict run when anything was skipped;
 * otherwise exactly the listed days are rebuilt (each read again, so an
 * entry written meanwhile is counted).
 */
export async function rebuildSummaries(context: MigratorContext, options: RebuildOptions): Promise<Report> {
  const started = performance.now();
  checkDayRange(options);
  const entries = context.container.get(HealthEntryRepository);
  const summaries = context.container.get(DailySummaryRepository);
  const stored = options.from === undefined || options.to === undefined ? await summaries.storedDateRange() : undefined;
  const from = options.from ?? stored?.from;
  const to = options.to ?? stored?.to;
  const bounds = dayRangeArguments(options);
  const report = (partial: { read: number; written: number; skipped: Skipped[]; details: Record<string, unknown> }) =>
    finishReport({ command: `summaries rebuild${bounds}`, dry_run: options.dryRun, ...partial, exit_code: partial.skipped.length > 0 ? 1 : 0 }, started);
  if (from === undefined || to === undefined || from > to) {
    return report({ read: 0, written: 0, skipped: [], details: { from, to, note: 'no stored dates in that range' } });
  }

  const skipped: Skipped[] = [];
  const changes: Skipped[] = [];
  let read = 0;
  const inFlight = new InFlight(DAYS_IN_FLIGHT);
  for (const date of datesBetween(from, to)) {
    await inFlight.add(async () => {
      const [day, summary] = await Promise.all([entries.readDay(date), summaries.get(date)]);
      read += day.entries.length;
      for (const item of day.skipped) {
        skipped.push({ where: `${date}/${String(item.key['timestamp'])}`, reason: `invalid in the table, left out of the summary: ${item.issues.join('; ')}` });
      }
      for (const reason of summaryDifferences(day, summary)) changes.push({ where: date, reason });
    });
  }
  await inFlight.drain();
  changes.sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
  const changed = [...new Set(changes.map((change) => change.where))];

  const details = { from, to, days_changed: changed.length, changes };
  if (options.dryRun) return report({ read, written: 0, skipped, details });
  if (options.strict && skipped.length > 0) return report({ read, written: 0, skipped, details: { ...details, ...STRICT_ABORT } });
  // Only the days found to differ: the others' summaries are right already and keep their updated_at.
  let saved = 0;
  const removed: string[] = [];
  const rebuilding = new InFlight(DAYS_IN_FLIGHT);
  for (const date of changed) {
    await rebuilding.add(async () => {
      if ((await summaries.rebuild(date)) === undefined) removed.push(date);
      else saved++;
    });
  }
  await rebuilding.drain();
  removed.sort();
  return report({ read, written: saved + removed.length, skipped, details: { ...details, saved, removed } });
}
