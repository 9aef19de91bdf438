import { readIntegerVariables } from './integer-env.ts';
import { DEFAULT_SYNC_SCHEDULE, type SyncSchedule } from './repository-settings.ts';

const DAY_MS = 86_400_000;

/** Each variable, the schedule field it sets, and its bounds. */
const VARIABLES = [
  { name: 'SYNC_INTERVAL_MS', field: 'interval_ms', min: 100, max: 30 * DAY_MS },
  { name: 'SYNC_OVERLAP_MS', field: 'overlap_ms', min: 0, max: 30 * DAY_MS },
  { name: 'SYNC_BACKFILL_DAYS', field: 'backfill_days', min: 1, max: 3_650 },
  { name: 'SYNC_MAX_ATTEMPTS', field: 'max_attempts', min: 1, max: 100 },
] as const satisfies readonly { name: string; field: keyof SyncSchedule; min: number; max: number }[];

/**
 * The sync schedule from `SYNC_INTERVAL_MS`, `SYNC_OVERLAP_MS`,
 * `SYNC_BACKFILL_DAYS` and `SYNC_MAX_ATTEMPTS`, each absent one at
 * {@link DEFAULT_SYNC_SCHEDULE}'s value. One reader for every process that
 * schedules runs (the API when a person connects, the sync worker after each
 * run), so they cannot disagree. A bad value is an issue naming the variable,
 * and its default is used meanwhile.
 */
export function syncScheduleFromEnv(env: Readonly<Record<string, string | undefined>>): {
  schedule: SyncSchedule;
  issues: { path: string; message: string }[];
} {
  const schedule: SyncSchedule = { ...DEFAULT_SYNC_SCHEDULE };
  const issues = readIntegerVariables(env, VARIABLES, schedule);
  return { schedule, issues };
}
