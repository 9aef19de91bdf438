import { z } from 'zod';
import { EpochSecondsSchema, InstantInputSchema, IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { PLAUSIBLE_SINCE, TOO_OLD_MESSAGE } from '../common/plausibility.ts';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import {
  DEXCOM_TREND_NAMES,
  GLUCOSE_HIGH_SENTINEL,
  GLUCOSE_LOW_SENTINEL,
  GLUCOSE_MAX_MGDL,
  GLUCOSE_MIN_MGDL,
  MGDL_PER_MMOLL,
  NIGHTSCOUT_TREND_NAMES,
  TREND_DIRECTIONS,
  mmolToMgdl,
  trendFromDexcom,
  type GlucoseUnit,
  type TrendDirection,
} from './glucose-units.ts';
import { DexcomReadingDetailsSchema } from './dexcom-details.schema.ts';
import { NightscoutDetailsSchema } from './nightscout-details.schema.ts';

export const TrendDirectionSchema = z.enum(TREND_DIRECTIONS);

const isTrendDirection = (name: string): name is TrendDirection => (TREND_DIRECTIONS as readonly string[]).includes(name);

/**
 * A trend as clients send it: a stored `trend_direction`, a Dexcom v3 trend
 * (`doubleUp`, `notComputable`, …) or a Nightscout direction (`DoubleUp`,
 * `TripleDown`, `NOT COMPUTABLE`, …), stored as the `trend_direction` it
 * maps to (states without a direction → `unknown`).
 */
export const TrendInputSchema = z
  .enum([...new Set<string>([...TREND_DIRECTIONS, ...DEXCOM_TREND_NAMES, ...NIGHTSCOUT_TREND_NAMES])] as [string, ...string[]])
  .transform((name): TrendDirection => (isTrendDirection(name) ? name : trendFromDexcom(name)))
  .describe(
    `A trend_direction (${TREND_DIRECTIONS.join(', ')}), a Dexcom v3 trend or a Nightscout direction; ` +
      'stored as the trend_direction it maps to (TripleUp, DoubleUp → rising_rapidly; SingleUp, FortyFiveUp → rising; ' +
      'Flat → steady; FortyFiveDown, SingleDown → falling; DoubleDown, TripleDown → falling_rapidly; none, NOT COMPUTABLE, RATE OUT OF RANGE → unknown)',
  );

/** Epoch milliseconds as CGM clients send them (Nightscout `date`), up to year 9999. */
const EpochMillisSchema = z
  .number()
  .int()
  .min(0)
  .max(253_402_300_799_999)
  .transform((ms) => new Date(ms).toISOString());

/**
 * A reading's `timestamp` as clients send it: RFC 3339 with any offset or
 * epoch milliseconds, stored in UTC as `YYYY-MM-DDTHH:mm:ss.sssZ`; not
 * before 1980 (`PLAUSIBLE_SINCE`). "Not more than 24 h ahead" needs a clock:
 * repositories apply it with `readingTimeProblem`.
 */
export const ReadingTimestampInputSchema = z
  .union([InstantInputSchema, EpochMillisSchema])
  .refine((timestamp) => timestamp >= PLAUSIBLE_SINCE, { message: TOO_OLD_MESSAGE })
  .describe(
    'RFC 3339 with any offset (2026-05-01T10:00:00+02:00) or epoch milliseconds; stored in UTC. ' +
      `Not before ${PLAUSIBLE_SINCE}, nor more than 24 h after the server's time`,
  );
export const ReadingTypeSchema = z.enum(['CGM', 'manual']);
export const OutOfRangeSchema = z.enum(['low', 'high']);

const DeviceTextSchema = textSchema(TEXT_LIMITS.short, 1);

export const DeviceInfoSchema = z.strictObject({
  device_id: DeviceTextSchema,
  serial_number: DeviceTextSchema,
  transmitter_id: DeviceTextSchema.optional(),
});

const SENTINELS = { low: GLUCOSE_LOW_SENTINEL, high: GLUCOSE_HIGH_SENTINEL } as const;

/** The one-decimal mmol/L values (as meters show them) that round into 20..600 mg/dL: 1.1..33.3. */
const MMOL_RANGE = [
  Math.ceil(((GLUCOSE_MIN_MGDL - 0.5) / MGDL_PER_MMOLL) * 10) / 10,
  Math.floor(((GLUCOSE_MAX_MGDL + 0.5) / MGDL_PER_MMOLL) * 10) / 10,
]
  .map((bound) => bound.toFixed(1))
  .join('..');

/**
 * 20..600 mg/dL, or exactly the sentinel (39/401) when `out_of_range` is set.
 * `sentUnit` is the unit the client wrote: a mmol/L value is already
 * converted, but the message speaks the client's unit.
 */
function checkGlucoseValue<T extends { glucose_value: number; out_of_range?: 'low' | 'high' | undefined }>(
  reading: T,
  ctx: z.RefinementCtx<T>,
  sentUnit: GlucoseUnit = 'mg/dL',
  sentValue: number = reading.glucose_value,
): void {
  const { glucose_value: value, out_of_range: outOfRange } = reading;
  if (outOfRange === undefined && sentUnit === 'mmol/L' && !(value >= GLUCOSE_MIN_MGDL && value <= GLUCOSE_MAX_MGDL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['glucose_value'],
      message: `must be ${MMOL_RANGE} mmol/L (${GLUCOSE_MIN_MGDL}..${GLUCOSE_MAX_MGDL} mg/dL); ${sentValue} mmol/L is ${value} mg/dL`,
    });
  } else if (outOfRange !== undefined) {
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

/**
 * When the server last changed a reading (or deleted it: its tombstone's),
 * epoch milliseconds from the repository's clock: the change feed's order.
 * Absent only on readings stored before the feed existed, until
 * `readings backfill-srv-modified` sets it from `updated_at`.
 */
export const SrvModifiedSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A glucose reading as stored in the readings table (and returned by the API). */
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
    dexcom: DexcomReadingDetailsSchema.optional(),
    nightscout: NightscoutDetailsSchema.optional(),
    created_at: IsoInstantSchema,
    updated_at: IsoInstantSchema,
    srv_modified: SrvModifiedSchema.optional(),
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
    timestamp: ReadingTimestampInputSchema,
    glucose_value: z.number(),
    glucose_unit: z.enum(['mg/dL', 'mmol/L']).default('mg/dL'),
    trend_direction: TrendInputSchema.default('unknown'),
    device_info: DeviceInfoSchema,
    reading_type: ReadingTypeSchema.default('CGM'),
    source: textSchema(TEXT_LIMITS.short, 1).default('dexcom'),
    out_of_range: OutOfRangeSchema.optional(),
    dexcom: DexcomReadingDetailsSchema.optional(),
    nightscout: NightscoutDetailsSchema.optional(),
  })
  .transform(({ glucose_unit: unit, glucose_value: value, ...rest }, ctx) => {
    const reading = {
      ...rest,
      glucose_value: unit === 'mmol/L' && rest.out_of_range === undefined ? mmolToMgdl(value) : value,
      glucose_unit: 'mg/dL' as const,
    };
    // Checked here, not in a later refinement: only here is the unit the client sent still known.
    checkGlucoseValue(reading, ctx as unknown as z.RefinementCtx<typeof reading>, unit, value);
    return reading;
  })
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
 * The stored reading for a validated input: `now` fills `created_at`,
 * `updated_at` and `srv_modified`; `expires_at` (epoch seconds) is set only
 * when given.
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
    srv_modified: now.getTime(),
    ...(expires_at === undefined ? {} : { expires_at }),
  };
}
