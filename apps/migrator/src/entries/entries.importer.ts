import { HealthLogService } from '@vitals/repositories';
import type { Report, Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { ChunkedWrites } from '../runtime/chunked-writes.ts';
import { importReport, runPasses, type ImportRunOptions, type PassMode } from '../runtime/passes.ts';
import type { FileDay } from './entries-format.ts';
import { readEntriesFile } from './entries-file.ts';

export interface EntriesImportOptions extends ImportRunOptions {
  year: number;
}

/** Entries handed to `HealthLogService.importDays` at a time: whole days, at least this many entries together. */
const CHUNK_ENTRIES = 1_000;
/** Chunks being written (entries, then their days' summaries) while the file is read on. */
const CHUNKS_IN_FLIGHT = 3;

/**
 * Streams an `entries.json` file into the health-log table (with derived
 * attributes and medication index items) and rebuilds the summary of every
 * day it wrote. Bad records are reported with their `MMDD/HHMM` path while
 * the valid ones go in; with `strict`, any bad record aborts before a single
 * write. Whole days go through `HealthLogService.importDays` (the
 * repository's batch path, then each day's summary rebuilt from what the
 * table holds) about a thousand entries at a time, several chunks in
 * flight. Every write is idempotent, so a re-run — after a kill at any
 * moment — finishes the job with nothing lost or doubled. `file` must have
 * passed `assertJsonFile` (the command checks it before starting DynamoDB,
 * so a bad file fails fast and writes nothing).
 */
export async function importEntries(context: MigratorContext, file: string, options: EntriesImportOptions): Promise<Report> {
  const started = performance.now();
  const health = context.container.get(HealthLogService);
  const skipped: Skipped[] = [];
  let read = 0;
  let written = 0;
  let summariesRebuilt = 0;

  /** Writes whole days: their entries through one batch call, then each day's summary from what the table holds. */
  const writeChunk = async (days: readonly FileDay[]) => {
    const chunk = days.flatMap((day) => day.entries);
    const imported = await health.importDays(chunk.map(({ date, time, input }) => ({ date, time, input })));
    written += chunk.length;
    summariesRebuilt += imported.dates.length;
    options.progress.increment(chunk.length);
  };

  const pass = async ({ collect, write }: PassMode) => {
    const writes = new ChunkedWrites<FileDay>({
      chunkSize: CHUNK_ENTRIES,
      inFlight: CHUNKS_IN_FLIGHT,
      weight: (day) => day.entries.length,
      write: writeChunk,
    });
    try {
      for await (const day of readEntriesFile(file, options.year)) {
        if (collect) {
          read += day.records;
          skipped.push(...day.problems);
        }
        if (write && day.date !== undefined && day.entries.length > 0) await writes.push(day);
      }
      await writes.finish();
    } finally {
      await writes.settle();
    }
  };

  const { aborted } = await runPasses(options, () => skipped.length, pass);
  return importReport(`import entries ${file}`, options, started, {
    read,
    written,
    skipped,
    aborted,
    details: { year: options.year, summaries_rebuilt: summariesRebuilt },
  });
}
