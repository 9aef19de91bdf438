import { z } from 'zod';
import { HealthDateSchema, IsoInstantSchema, UserIdSchema, VersionSchema } from '../common/formats.schema.ts';
import { TimeZoneSchema } from '../user-settings/user-settings.schema.ts';

const Ms = z.number().finite().min(0);
const Count = z.number().int().min(0);
/** Float64 little-endian numbers; a whole number of them. */
const Float64Blob = z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength % 8 === 0, { message: 'must hold whole float64 numbers' });

const RollupStreamSchema = z.strictObject({
  source: z.string().nullable(),
  device_id: z.string().nullable(),
  serial_number: z.string().nullable(),
  count: Count,
  cadence_minutes: z.number().min(1).max(15),
});

/**
 * One user's glucose accumulator of one local day (docs/GLUCOSE-REPORT.md):
 * the `GlucoseAccumulator` of [start_ms, end_ms) computed from the day's
 * readings and the 30 minutes before, plus the day's streams. `version`
 * goes up by one on every store; a store is conditional on the version
 * read before the readings were, so two concurrent rebuilds never leave
 * the older computation in place.
 */
export const GlucoseRollupSchema = z.strictObject({
  user_id: UserIdSchema,
  /** The local day, `YYYY-MM-DD` in `time_zone`. */
  day: HealthDateSchema,
  /** The zone the day is local to: a rollup in another zone than the user's is stale. */
  time_zone: TimeZoneSchema,
  version: VersionSchema,
  updated_at: IsoInstantSchema,
  /** The day's first instant and the next day's, epoch ms. */
  start_ms: z.number().int(),
  end_ms: z.number().int(),
  count: Count,
  active_ms: Ms,
  range_ms: z.tuple([Ms, Ms, Ms, Ms, Ms]),
  value_ms: Ms,
  square_ms: Ms,
  low_risk_ms: Ms,
  high_risk_ms: Ms,
  /** Per local hour 0..23: readings starting in it, and covered ms. */
  hour_counts: z.array(Count).length(24),
  hour_ms: z.array(Ms).length(24),
  /**
   * The AGP histograms, binary (float64 LE): per hour 0..23, the number of
   * entries n, then n triples value (mg/dL), ms held, pieces, ascending by value.
   */
  histogram: Float64Blob,
  /**
   * Time runs, binary (float64 LE), ms from `start_ms`: coverage, then
   * hypo_level_1, hypo_level_2, hyper_level_1, hyper_level_2 — each its
   * number of runs n, then n start/end pairs.
   */
  runs: Float64Blob,
  streams: z.array(RollupStreamSchema),
});
export type GlucoseRollup = z.infer<typeof GlucoseRollupSchema>;
