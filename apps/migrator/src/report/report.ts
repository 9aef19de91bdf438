/** A record left out, with where it is (`line 12`, `0523/1300`) and why. */
export interface Skipped {
  where: string;
  reason: string;
}

/** What every command reports when it ends: read, written, skipped with reasons, elapsed, rate. */
export interface Report {
  command: string;
  dry_run: boolean;
  read: number;
  written: number;
  skipped: Skipped[];
  /** What `verify` found to differ between the file and the tables (absent for other commands). */
  differences?: Skipped[];
  elapsed_ms: number;
  items_per_s: number;
  /** Peak resident memory of the process so far: imports stream, so it should not grow with the file. */
  peak_rss_mb: number;
  /**
   * What the writes did to the table, where the repository can tell (`import
   * clarity`): readings new, changed (replaced) and unchanged (not written),
   * and rows of the file whose reading a later row replaced at the same
   * instant. `written` is then new + changed.
   */
  counts?: { new: number; changed: number; unchanged: number; overwritten_in_file: number };
  /** What an operator should know about how the input was read (e.g. how ambiguous local times were placed). */
  notes?: string[];
  /** Command-specific findings (a plan's actions, verification differences, …). */
  details?: Record<string, unknown>;
  /** 0 ok, 1 data/verification problems. */
  exit_code: 0 | 1;
}

export function finishReport(
  partial: Omit<Report, 'elapsed_ms' | 'items_per_s' | 'peak_rss_mb' | 'exit_code'> & { exit_code?: 0 | 1 },
  startedAt: number,
): Report {
  const elapsed = performance.now() - startedAt;
  return {
    ...partial,
    elapsed_ms: Math.round(elapsed),
    items_per_s: elapsed > 0 ? Math.round((partial.written / elapsed) * 1_000) : 0,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1_024),
    exit_code: partial.exit_code ?? 0,
  };
}

/** Skipped records listed in the human report (--json has them all); differences are all listed. */
const SHOWN_SKIPPED = 50;

/** The human report (stderr keeps stdout clean for --json). */
export function formatReport(report: Report): string {
  const counts = report.counts;
  const written =
    counts === undefined
      ? `written ${report.written}`
      : `written ${report.written} (new ${counts.new}, changed ${counts.changed}; unchanged ${counts.unchanged}` +
        `${counts.overwritten_in_file > 0 ? `; ${counts.overwritten_in_file} replaced by a later row of the file` : ''})`;
  const lines = [
    `${report.command}${report.dry_run ? ' (dry run: nothing written)' : ''}`,
    `  read ${report.read}, ${written}, skipped ${report.skipped.length}, ` +
      `${(report.elapsed_ms / 1_000).toFixed(1)} s, ${report.items_per_s} items/s, peak RSS ${report.peak_rss_mb} MB`,
  ];
  for (const note of report.notes ?? []) lines.push(`  note: ${note}`);
  for (const skip of report.skipped.slice(0, SHOWN_SKIPPED)) lines.push(`  skipped ${skip.where}: ${skip.reason}`);
  if (report.skipped.length > SHOWN_SKIPPED) lines.push(`  … and ${report.skipped.length - SHOWN_SKIPPED} more skipped (see --json)`);
  if (report.differences !== undefined) {
    lines.push(`  ${report.differences.length === 0 ? 'no differences' : `${report.differences.length} differences:`}`);
    for (const difference of report.differences) lines.push(`  differs ${difference.where}: ${difference.reason}`);
  }
  return lines.join('\n');
}
