import { z } from 'zod';
import { HealthDateSchema, IsoInstantSchema, UserIdSchema, VersionSchema } from '../common/formats.schema.ts';
import { TimeZoneSchema } from '../user-settings/user-settings.schema.ts';
import { ROLLUP_BLOB_FORMAT } from './rollup-blob.ts';

const Ms = z.number().finite().min(0);
const Count = z.number().int().min(0);
/** Numbers in the compact exact encoding of `rollup-blob.ts`, its format byte first. */
const RollupBlob = z.instanceof(Uint8Array).refine((bytes) => bytes[0] === ROLLUP_BLOB_FORMAT, { message: `must start with format byte ${ROLLUP_BLOB_FORMAT}` });

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
  /** The zone the day is local to. */
  time_zone: TimeZoneSchema,
  /**
   * The version of the user's settings that zone came from (0: none saved).
   * A report trusts a rollup only when zone and version are the user's
   * current ones: after a zone change — and back — earlier rollups of a
   * zone are stale, since writes meanwhile kept the other zone's days.
   */
  settings_version: z.number().int().min(0),
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
  /**
   * The AGP histograms, binary (`rollup-blob.ts`: u32 and u16 whole
   * numbers, float64 behind an escape): per local hour 0..23 the readings
   * starting in it (u32), its covered ms (u32), its number of entries n
   * (u32), then n entries value mg/dL (u16), ms held (u32), pieces (u16),
   * ascending by value.
   */
  histogram: RollupBlob,
  /**
   * Time runs, binary (same encoding), ms from `start_ms`: coverage, then
   * hypo_level_1, hypo_level_2, hyper_level_1, hyper_level_2 — each its
   * number of runs n (u32), then n start/end pairs (u32).
   */
  runs: RollupBlob,
  streams: z.array(RollupStreamSchema),
});
export type GlucoseRollup = z.infer<typeof GlucoseRollupSchema>;
