/*
 * When a reading or a sync can plausibly be. A timestamp from the year 0000,
 * 1900 or 2099 is a device or client bug (an unset clock, epoch 0, seconds
 * sent as milliseconds), and a reading dated in the future would stay
 * "latest" until then. The lower bound is static; the upper bound moves with
 * `now`, which callers pass in (models have no clock).
 */

/**
 * The earliest instant a glucose reading or a sync window may name. Home
 * blood-glucose meters reached patients around 1980 (CGMs in 1999), so no
 * real reading is older; the bound also refuses epoch 0 (1970-01-01), the
 * usual value of an unset device clock.
 */
export const PLAUSIBLE_SINCE = '1980-01-01T00:00:00.000Z';

/** How far after `now` a reading or sync window may lie: clock skew and time-zone mistakes, not more. */
export const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

/** How far ahead a sync job may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

export const TOO_OLD_MESSAGE = `must not be before ${PLAUSIBLE_SINCE}`;

/** A problem at `path` with a plausibility bound. */
export interface TimeProblem {
  path: string;
  message: string;
}

/** Whether a stored-form instant lies no later than `leadMs` after `now`. */
function withinLead(instant: string, now: Date, leadMs: number): boolean {
  return Date.parse(instant) <= now.getTime() + leadMs;
}

function ahead(leadMs: number): string {
  return leadMs > 86_400_000 ? `${leadMs / 86_400_000} days` : `${leadMs / 3_600_000} h`;
}

/** The problem with a reading's `timestamp` (stored form) relative to `now`, or undefined. */
export function readingTimeProblem(timestamp: string, now: Date): string | undefined {
  if (timestamp < PLAUSIBLE_SINCE) return TOO_OLD_MESSAGE;
  if (!withinLead(timestamp, now, FUTURE_TOLERANCE_MS)) {
    return `must not be more than ${ahead(FUTURE_TOLERANCE_MS)} after the server's time (${now.toISOString()})`;
  }
  return undefined;
}

/**
 * The problems with a sync job's times relative to `now`: the window may not
 * end (or start) more than 24 h after `now`, nor start before
 * {@link PLAUSIBLE_SINCE}; `scheduled_at` may lie at most 366 days ahead.
 */
export function syncJobTimeProblems(
  job: { scheduled_at?: string | undefined; window_start: string; window_end: string },
  now: Date,
): TimeProblem[] {
  const problems: TimeProblem[] = [];
  for (const field of ['window_start', 'window_end'] as const) {
    const problem = readingTimeProblem(job[field], now);
    if (problem !== undefined) problems.push({ path: field, message: problem });
  }
  if (job.scheduled_at !== undefined) {
    if (job.scheduled_at < PLAUSIBLE_SINCE) problems.push({ path: 'scheduled_at', message: TOO_OLD_MESSAGE });
    else if (!withinLead(job.scheduled_at, now, MAX_SCHEDULE_AHEAD_MS)) {
      problems.push({
        path: 'scheduled_at',
        message: `must not be more than ${ahead(MAX_SCHEDULE_AHEAD_MS)} after the server's time (${now.toISOString()})`,
      });
    }
  }
  return problems;
}
