import { buildDailySummary, type DailySummary } from '@vitals/models';
import type { HealthDay } from '@vitals/repositories';
import { valueDifferences } from './value-differences.ts';

const COMPUTED_VS_STORED = { expected: 'computed from the entries', actual: 'stored' };

/**
 * How a day's stored summary differs from what its stored entries add up
 * to (`updated_at` aside): `[]` when it is right, `['missing']` when the day
 * has entries but no summary, `['stored for a day without entries']`, or one
 * line per differing field.
 */
export function summaryDifferences(day: HealthDay, stored: DailySummary | undefined): string[] {
  if (day.entries.length === 0) return stored === undefined ? [] : ['stored for a day without entries'];
  if (stored === undefined) return ['missing'];
  const { updated_at: _computedAt, ...computed } = buildDailySummary(day.date, day.entries, new Date(0));
  const { updated_at: _storedAt, ...kept } = stored;
  return valueDifferences(computed, kept, COMPUTED_VS_STORED);
}
