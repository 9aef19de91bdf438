import { z } from 'zod';
import { EpochSecondsSchema, IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import {
  GLUCOSE_HIGH_SENTINEL,
  GLUCOSE_LOW_SENTINEL,
  GLUCOSE_MAX_MGDL,
  GLUCOSE_MIN_MGDL,
  TREND_DIRECTIONS,
  mmolToMgdl,
} from './glucose-units.ts';

export const TrendDirectionSchema = z.enum(TREND_DIRECTIONS);
export const ReadingTypeSchema = z.enum(['CGM', 'manual']);
export const OutOfRangeSchema = z.enum(['low', 'high']);

const DeviceTextSchema = textSchema(TEXT_LIMITS.short, 1);

export const DeviceInfoSchema = z.strictObject({
  device_id: DeviceTextSchema,
  serial_number: DeviceTextSchema,
  transmitter_id: DeviceTextSchema.optional(),
});

const SENTINELS = { low: GLUCOSE_LOW_SENTINEL, high: GLUCOSE_HIGH_SENTINEL } as const;

/** 20..600 mg/dL, or exactly the sentinel (39/401) when `out_of_range` is set. */
function checkGlucoseValue<T extends { glucose_value: number; out_of_range?: 'low' | 'high' | undefined }>(
  reading: T,
  ctx: z.RefinementCtx<T>,
): void {
  const { glucose_value: value, out_of_range: outOfRange } = reading;
  if (outOfRange !== undefined) {
    if (value !== SENTINELS[outOfRange]) {
      ctx.addIssue({
        code: 'custom',
        path: ['glucose_value'],
        message: `must be ${SENTINELS[outOfRange]} mg/dL when out_of_range is "${outOfRange}"`,
      });
    }
  } else if (!(value >= GLUCOSE_MIN_MGDL && value <= GLUCOSE_MAX_MGDL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['glucose_value'],
      message: `must be ${GLUCOSE_MIN_MGDL}..${GLUCOSE_MAX_MGDL} mg/dL`,
    });
  }
}

/** A glucose reading as stored in `bg_readings` (and returned by the API). */
export const GlucoseReadingSchema = z
  .strictObject({
    user_id: UserIdSchema,
    timestamp: IsoInstantSchema,
    glucose_value: z.number(),
    glucose_unit: z.literal('mg/dL'),
    trend_direction: TrendDirectionSchema,
    device_info: DeviceInfoSchema,
    reading_type: ReadingTypeSchema,
    source: textSchema(TEXT_LIMITS.short, 1),
    out_of_range: OutOfRangeSchema.optional(),
    created_at: IsoInstantSchema,
    updated_at: IsoInstantSchema,
    expires_at: EpochSecondsSchema.optional(),
  })
  .superRefine(checkGlucoseValue);

/**
 * What an API client or importer sends for one reading. `user_id` comes from
 * the path; `created_at`/`updated_at`/`expires_at` are the server's. mmol/L
 * values are converted to integer mg/dL before the range check, so the
 * output is always mg/dL. Out-of-range readings carry the mg/dL sentinel
 * (39 or 401) in either unit.
 */
export const GlucoseReadingInputSchema = z
  .strictObject({
    timestamp: IsoInstantSchema,
    glucose_value: z.number(),
    glucose_unit: z.enum(['mg/dL', 'mmol/L']).default('mg/dL'),
    trend_direction: TrendDirectionSchema.default('unknown'),
    device_info: DeviceInfoSchema,
    reading_type: ReadingTypeSchema.default('CGM'),
    source: textSchema(TEXT_LIMITS.short, 1).default('dexcom'),
    out_of_range: OutOfRangeSchema.optional(),
  })
  .transform(({ glucose_unit: unit, glucose_value: value, ...rest }) => ({
    ...rest,
    glucose_value: unit === 'mmol/L' && rest.out_of_range === undefined ? mmolToMgdl(value) : value,
    glucose_unit: 'mg/dL' as const,
  }))
  .superRefine(checkGlucoseValue)
  // Type-only: a `GlucoseReadingInput` can come from this schema's parse and nowhere else.
  .brand<'GlucoseReadingInput'>();

export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;
export type GlucoseReading = z.infer<typeof GlucoseReadingSchema>;
/**
 * A validated reading input: already in mg/dL, defaults applied. Branded, so
 * only `GlucoseReadingInputSchema`'s output has this type: a plain object of
 * the same shape does not, and cannot be passed off as validated.
 */
export type GlucoseReadingInput = z.infer<typeof GlucoseReadingInputSchema>;
/** A reading input as a client writes it, before defaults and unit conversion. */
export type GlucoseReadingInputBody = z.input<typeof GlucoseReadingInputSchema>;

/**
 * The stored reading for a validated input: `now` fills `created_at` and
 * `updated_at`; `expires_at` (epoch seconds) is set only when given.
 */
export function toGlucoseReading(
  user_id: string,
  input: GlucoseReadingInput,
  now: Date,
  expires_at?: number,
): GlucoseReading {
  const at = now.toISOString();
  return {
    user_id,
    ...input,
    created_at: at,
    updated_at: at,
    ...(expires_at === undefined ? {} : { expires_at }),
  };
}
