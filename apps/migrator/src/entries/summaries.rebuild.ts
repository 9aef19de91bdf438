import { DailySummaryRepository } from '@vitals/repositories';
import { finishReport, type Report } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { UsageError } from '../runtime/usage-error.ts';

/**
 * Recomputes the daily summaries of every day from `from` to `to` from the
 * entries the table holds (days without entries lose their summary). An
 * open end defaults to the first or last date that has entries or a
 * summary, so without bounds everything is rebuilt.
 */
export async function rebuildSummaries(context: MigratorContext, options: { from?: string; to?: string }): Promise<Report> {
  const started = performance.now();
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    throw new UsageError(`--to ${options.to} is before --from ${options.from}`);
  }
  const summaries = context.container.get(DailySummaryRepository);
  const stored = options.from === undefined || options.to === undefined ? await summaries.storedDateRange() : undefined;
  const from = options.from ?? stored?.from;
  const to = options.to ?? stored?.to;
  const command = `summaries rebuild${options.from === undefined ? '' : ` --from ${options.from}`}${options.to === undefined ? '' : ` --to ${options.to}`}`;
  if (from === undefined || to === undefined || from > to) {
    return finishReport({ command, dry_run: false, read: 0, written: 0, skipped: [], details: { from, to, note: 'no stored dates in that range' } }, started);
  }
  const result = await summaries.rebuildRange(from, to);
  return finishReport(
    {
      command,
      dry_run: false,
      read: result.saved.reduce((sum, summary) => sum + summary.entry_count, 0),
      written: result.saved.length + result.removed.length,
      skipped: [],
      details: { from, to, saved: result.saved.length, removed: result.removed },
    },
    started,
  );
}
