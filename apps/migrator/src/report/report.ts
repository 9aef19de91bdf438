/** What every command reports when it ends (DESIGN §6): read, written, skipped with reasons, elapsed, rate. */
export interface Report {
  command: string;
  dry_run: boolean;
  read: number;
  written: number;
  skipped: { where: string; reason: string }[];
  elapsed_ms: number;
  items_per_s: number;
  /** Peak resident memory of the process so far: imports stream, so it should not grow with the file. */
  peak_rss_mb: number;
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

/** The human report (stderr keeps stdout clean for --json). */
export function formatReport(report: Report): string {
  const lines = [
    `${report.command}${report.dry_run ? ' (dry run: nothing written)' : ''}`,
    `  read ${report.read}, written ${report.written}, skipped ${report.skipped.length}, ` +
      `${(report.elapsed_ms / 1_000).toFixed(1)} s, ${report.items_per_s} items/s, peak RSS ${report.peak_rss_mb} MB`,
  ];
  for (const skip of report.skipped.slice(0, 50)) lines.push(`  skipped ${skip.where}: ${skip.reason}`);
  if (report.skipped.length > 50) lines.push(`  … and ${report.skipped.length - 50} more skipped (see --json)`);
  return lines.join('\n');
}
