import { UsageError } from './usage-error.ts';

/** A command's `--from` / `--to` days (`YYYY-MM-DD`), either left open. */
export interface DayRangeFlags {
  from?: string;
  to?: string;
}

/** Refuses a range whose `--to` comes before its `--from`, as a usage error. */
export function checkDayRange(range: DayRangeFlags): void {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new UsageError(`--to ${range.to} is before --from ${range.from}`);
  }
}

/** The range as the command line wrote it, for a report's `command`: ` --from X --to Y`, each only when given. */
export function dayRangeArguments(range: DayRangeFlags): string {
  return `${range.from === undefined ? '' : ` --from ${range.from}`}${range.to === undefined ? '' : ` --to ${range.to}`}`;
}
