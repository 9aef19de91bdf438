import { HealthEntryRepository, type HealthDay } from '@vitals/repositories';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Progress } from '../report/progress.ts';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { UsageError } from '../runtime/usage-error.ts';
import { datesOfYear, dayKeyOf, toFileRecord } from './entries-format.ts';

/** Days read at once; the file is written as they come, so only these few days are in memory. */
const DAYS_AHEAD = 8;

export interface EntriesExportOptions {
  year: number;
  out: string;
  /** Read and convert everything, write no file. */
  dryRun: boolean;
  /** An invalid stored item aborts the export (no file) instead of being skipped. */
  strict: boolean;
  progress: Progress;
}

/**
 * Writes the year's entries back in the file's own shape
 * `{ MMDD: { HHMM: { Medications, Pain, Activities, o2, bpr, note, sleep } } }`,
 * days and times in order, a few days in memory at a time. The file appears
 * only when complete (written next to it, then renamed). Items of the table
 * that fail their schema are reported as skipped, not exported — or, with
 * `strict`, abort the export before the file appears.
 */
export async function exportEntries(context: MigratorContext, options: EntriesExportOptions): Promise<Report> {
  const started = performance.now();
  const { out, year } = options;
  if (!(await stat(dirname(out)).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dirname(out)}: no such directory`);
  const entries = context.container.get(HealthEntryRepository);
  const partial = `${out}.partial`;
  const skipped: Skipped[] = [];
  let exported = 0;
  let days = 0;
  let aborted = false;

  /** The file's text, a day at a time; stops early (aborted) when strict meets an invalid item. */
  async function* text(): AsyncGenerator<string> {
    yield '{';
    const dates = [...datesOfYear(year)];
    for (let start = 0; start < dates.length; start += DAYS_AHEAD) {
      const batch = await Promise.all(dates.slice(start, start + DAYS_AHEAD).map((date) => entries.readDay(date)));
      for (const day of batch) {
        skipped.push(...invalidItems(day));
        if (options.strict && skipped.length > 0) {
          aborted = true;
          return;
        }
        if (day.entries.length === 0) continue;
        // Written key by key: an object would put integer-like times ("1300") before "0800".
        const records = day.entries.map(
          (entry) => `\n    ${JSON.stringify(entry.timestamp)}: ${JSON.stringify(toFileRecord(entry), null, 2).replaceAll('\n', '\n    ')}`,
        );
        yield `${days === 0 ? '' : ','}\n  ${JSON.stringify(dayKeyOf(day.date))}: {${records.join(',')}\n  }`;
        days++;
        exported += day.entries.length;
        options.progress.increment(day.entries.length);
      }
    }
    yield days === 0 ? '}\n' : '\n}\n';
  }

  try {
    if (options.dryRun) {
      for await (const _chunk of text());
    } else {
      // pipeline: backpressure, and any write error (disk full, no permission) rejects instead of hanging.
      await pipeline(Readable.from(text()), createWriteStream(partial));
      if (aborted) await rm(partial, { force: true });
      else await rename(partial, out);
    }
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    options.progress.stop();
  }

  return finishReport(
    {
      command: `export entries --year ${year}`,
      dry_run: options.dryRun,
      read: exported,
      written: options.dryRun || aborted ? 0 : exported,
      skipped,
      details: { year, out, days, ...(aborted ? { aborted: 'strict: invalid stored items found, no file written' } : {}) },
      exit_code: skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}

function invalidItems(day: HealthDay): Skipped[] {
  return day.skipped.map((item) => ({
    where: `${dayKeyOf(day.date)}/${String(item.key['timestamp'])}`,
    reason: `invalid in the table, not exported: ${item.issues.join('; ')}`,
  }));
}
