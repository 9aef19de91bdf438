import { z } from 'zod';
import { HealthDateSchema, IsoInstantSchema } from '../common/formats.schema.ts';

/**
 * One day's aggregate of the health log, as stored in the summaries
 * table. Values with nothing to aggregate (no pain
 * recorded, no O2 reading, …) are `null`, never absent or NaN.
 */
export const DailySummarySchema = z.strictObject({
  date: HealthDateSchema,
  entry_count: z.number().int().min(0),
  /** Highest `max_pain_level` of the day. */
  max_pain_level: z.number().int().min(0).max(10).nullable(),
  /** Mean of the entries' `max_pain_level`, over entries that have one. */
  mean_max_pain: z.number().min(0).max(10).nullable(),
  /** `{ medication: number of entries listing it }`. */
  medication_doses: z.record(z.string(), z.number().int().min(1)),
  /** `{ activity: total minutes }`. */
  activity_minutes: z.record(z.string(), z.number().min(0)),
  min_o2_percent: z.number().int().min(0).max(100).nullable(),
  mean_systolic: z.number().nullable(),
  mean_diastolic: z.number().nullable(),
  /** Sum of the day's `sleep_minutes`. */
  sleep_minutes: z.number().int().min(0).nullable(),
  updated_at: IsoInstantSchema,
});

export type DailySummary = z.infer<typeof DailySummarySchema>;
