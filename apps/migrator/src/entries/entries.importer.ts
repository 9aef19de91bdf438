import { DailySummaryRepository, HealthEntryRepository } from '@vitals/repositories';
import type { Progress } from '../report/progress.ts';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { InFlight } from '../runtime/in-flight.ts';
import { STRICT_ABORT, runPasses, type PassMode } from '../runtime/passes.ts';
import { readEntriesFile } from './entries-file.ts';

export interface EntriesImportOptions {
  year: number;
  dryRun: boolean;
  strict: boolean;
  progress: Progress;
}

/** Days being written (entries, then the day's summary) while the file is read on. */
const DAYS_IN_FLIGHT = 8;

/**
 * Streams an `entries.json` file into `fusion-health-entries` (with derived
 * attributes and medication index items) and rebuilds the summary of every
 * day it wrote. Bad records are reported with their `MMDD/HHMM` path while
 * the valid ones go in; with `strict`, any bad record aborts before a single
 * write. A day's entries go through the repository's batch path; its summary
 * is rebuilt from what the table then holds. Every write is idempotent, so a
 * re-run — after a kill at any moment — finishes the job with nothing lost
 * or doubled. `file` must have passed `assertJsonFile` (the command checks
 * it before starting DynamoDB, so a bad file fails fast and writes nothing).
 */
export async function importEntries(context: MigratorContext, file: string, options: EntriesImportOptions): Promise<Report> {
  const started = performance.now();
  const entries = context.container.get(HealthEntryRepository);
  const summaries = context.container.get(DailySummaryRepository);
  const skipped: Skipped[] = [];
  let read = 0;
  let written = 0;
  let summariesRebuilt = 0;

  const pass = async ({ collect, write }: PassMode) => {
    const inFlight = new InFlight(DAYS_IN_FLIGHT);
    for await (const day of readEntriesFile(file, options.year)) {
      if (collect) {
        read += day.records;
        skipped.push(...day.problems);
      }
      const { date } = day;
      if (!write || date === undefined || day.entries.length === 0) continue;
      await inFlight.add(async () => {
        await entries.saveMany(day.entries.map(({ date, time, input }) => ({ date, time, input })));
        await summaries.rebuild(date);
        written += day.entries.length;
        summariesRebuilt++;
        options.progress.increment(day.entries.length);
      });
    }
    await inFlight.drain();
  };

  const { aborted } = await runPasses(options, () => skipped.length, pass);
  options.progress.stop();
  return finishReport(
    {
      command: `import entries ${file}`,
      dry_run: options.dryRun,
      read,
      written,
      skipped,
      details: { year: options.year, summaries_rebuilt: summariesRebuilt, ...(aborted ? STRICT_ABORT : {}) },
      exit_code: skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}
