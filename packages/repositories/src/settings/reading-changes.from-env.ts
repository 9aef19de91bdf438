import { readIntegerVariables } from './integer-env.ts';
import type { RepositorySettings } from './repository-settings.ts';

/** Each variable, the setting it fills, and its bounds. */
const VARIABLES = [
  { name: 'READING_TOMBSTONE_RETENTION_DAYS', field: 'reading_tombstone_retention_days', min: 1, max: 3_650 },
  { name: 'READING_CHANGES_SETTLE_MS', field: 'reading_changes_settle_ms', min: 0, max: 3_600_000 },
] as const satisfies readonly { name: string; field: keyof RepositorySettings; min: number; max: number }[];

export type ReadingChangeSettings = Pick<RepositorySettings, 'reading_tombstone_retention_days' | 'reading_changes_settle_ms'>;

/**
 * The change feed's settings from `READING_TOMBSTONE_RETENTION_DAYS` and
 * `READING_CHANGES_SETTLE_MS`; an absent one stays absent (the repository's
 * default). A bad value is an issue naming the variable.
 */
export function readingChangesFromEnv(env: Readonly<Record<string, string | undefined>>): {
  settings: ReadingChangeSettings;
  issues: { path: string; message: string }[];
} {
  const settings: ReadingChangeSettings = {};
  const issues = readIntegerVariables(env, VARIABLES, settings);
  return { settings, issues };
}
