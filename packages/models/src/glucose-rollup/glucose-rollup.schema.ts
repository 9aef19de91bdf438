import { z } from 'zod';
import { HealthDateSchema, IsoInstantSchema, UserIdSchema, VersionSchema } from '../common/formats.schema.ts';
import { TimeZoneSchema } from '../user-settings/user-settings.schema.ts';

const Ms = z.number().finite().min(0);
const Count = z.number().int().min(0);
/** Time runs as a flat list [start, end, start, end, …], ms from the day's `start_ms`. */
const FlatRuns = z.array(z.number().int().min(0)).refine((list) => list.length % 2 === 0, { message: 'must hold start/end pairs' });

const RollupHourSchema = z.strictObject({
  count: Count,
  ms: Ms,
  /** The AGP histogram as a flat list of triples [value mg/dL, ms held, pieces, …], ascending by value. */
  values: z.array(z.number().finite()).refine((list) => list.length % 3 === 0, { message: 'must hold value/ms/pieces triples' }),
});

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
  hours: z.array(RollupHourSchema).length(24),
  coverage: FlatRuns,
  beyond: z.strictObject({ hypo_level_1: FlatRuns, hypo_level_2: FlatRuns, hyper_level_1: FlatRuns, hyper_level_2: FlatRuns }),
  streams: z.array(RollupStreamSchema),
});
export type GlucoseRollup = z.infer<typeof GlucoseRollupSchema>;
