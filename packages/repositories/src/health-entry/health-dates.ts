import { isHealthDate } from '@vitals/models';
import { invalidInput } from '../errors/repository-errors.ts';

const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` range, inclusive at both ends. */
export interface HealthDateRange {
  from: string;
  to: string;
}

/**
 * Checks a caller's date range: both ends real `YYYY-MM-DD` days, `from` not
 * after `to`, and — when `maxDays` is given — at most that many days. Every
 * problem is one `repository.invalidInput` issue at `from` or `to`.
 */
export function validDateRange(entity: string, from: unknown, to: unknown, maxDays?: number): HealthDateRange {
  const issues = [dateIssue('from', from), dateIssue('to', to)].filter((issue) => issue !== undefined);
  if (issues.length > 0) throw invalidInput(entity, issues);
  const range = { from: from as string, to: to as string };
  if (range.from > range.to) throw invalidInput(entity, [{ path: 'to', message: `must not be before from (${range.from})` }]);
  if (maxDays !== undefined && dayCount(range) > maxDays) {
    throw invalidInput(entity, [
      { path: 'to', message: `a range may span at most ${maxDays} days, this one spans ${dayCount(range)}` },
    ]);
  }
  return range;
}

/** One caller-given date, checked; a bad one is `repository.invalidInput` at `path`. */
export function validDate(entity: string, path: string, value: unknown): string {
  const issue = dateIssue(path, value);
  if (issue !== undefined) throw invalidInput(entity, [issue]);
  return value as string;
}

function dateIssue(path: string, value: unknown): { path: string; message: string } | undefined {
  return typeof value === 'string' && isHealthDate(value)
    ? undefined
    : { path, message: `must be a YYYY-MM-DD calendar date, got ${JSON.stringify(value)}` };
}

/** Days in an inclusive range (`2025-05-01..2025-05-01` is 1). */
export function dayCount(range: HealthDateRange): number {
  return Math.round((utcMidnight(range.to) - utcMidnight(range.from)) / DAY_MS) + 1;
}

/** Every `YYYY-MM-DD` of an inclusive range, in order, produced lazily. */
export function* eachDate(range: HealthDateRange): Generator<string> {
  const end = utcMidnight(range.to);
  for (let day = utcMidnight(range.from); day <= end; day += DAY_MS) yield new Date(day).toISOString().slice(0, 10);
}

function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The first and last valid `date` among `items` (e.g. a Scan's), or undefined when there is none. */
export async function dateRangeOf(items: AsyncIterable<Record<string, unknown>>): Promise<HealthDateRange | undefined> {
  let range: HealthDateRange | undefined;
  for await (const { date } of items) {
    if (typeof date !== 'string' || !isHealthDate(date)) continue;
    range = range === undefined ? { from: date, to: date } : { from: date < range.from ? date : range.from, to: date > range.to ? date : range.to };
  }
  return range;
}

/** The range covering both, or whichever is defined. */
export function unionOfRanges(a: HealthDateRange | undefined, b: HealthDateRange | undefined): HealthDateRange | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return { from: a.from < b.from ? a.from : b.from, to: a.to > b.to ? a.to : b.to };
}
