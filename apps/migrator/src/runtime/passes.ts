import type { Progress } from '../report/progress.ts';

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
