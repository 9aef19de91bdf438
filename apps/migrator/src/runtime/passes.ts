import type { Progress } from '../report/progress.ts';
import { finishReport, type Report, type Skipped } from '../report/report.ts';

/** What every import takes besides its input. */
export interface ImportRunOptions {
  /** Read and validate everything; write nothing. */
  dryRun: boolean;
  /** Any bad record aborts before anything is written. */
  strict: boolean;
  progress: Progress;
}

/** What one pass over an import's input does: report bad records, write good ones, or both. */
export interface PassMode {
  collect: boolean;
  write: boolean;
}

/**
 * Runs an import's passes over its input. Strict and dry runs read the whole
 * input first (collecting bad records) and write in a second pass only when
 * that is allowed: never on a dry run, and on a strict run only when no
 * record was bad. Otherwise one streaming pass reports and writes together.
 * Resolves with whether a strict run was aborted.
 */
export async function runPasses(
  options: { strict: boolean; dryRun: boolean },
  badRecords: () => number,
  pass: (mode: PassMode) => Promise<void>,
): Promise<{ aborted: boolean }> {
  if (!options.strict && !options.dryRun) {
    await pass({ collect: true, write: true });
    return { aborted: false };
  }
  await pass({ collect: true, write: false });
  const aborted = options.strict && badRecords() > 0;
  if (!options.dryRun && !aborted) await pass({ collect: false, write: true });
  return { aborted };
}

/** The report detail of a strict run that found bad records. */
export const STRICT_ABORT = { aborted: 'strict: bad records found, nothing written' } as const;

/** An import's report: progress stopped, the strict abort noted, exit 1 when any record was bad. */
export function importReport(
  command: string,
  options: ImportRunOptions,
  started: number,
  outcome: { read: number; written: number; skipped: Skipped[]; aborted: boolean; details: Record<string, unknown> },
): Report {
  options.progress.stop();
  const { aborted, details, ...counts } = outcome;
  return finishReport(
    {
      command,
      dry_run: options.dryRun,
      ...counts,
      details: { ...details, ...(aborted ? STRICT_ABORT : {}) },
      exit_code: counts.skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}
