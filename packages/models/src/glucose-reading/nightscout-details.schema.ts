import { z } from 'zod';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import { NIGHTSCOUT_TREND_NAMES } from './glucose-units.ts';
import { TREND_RATE_LIMIT } from './dexcom-details.schema.ts';

/**
 * Every `direction` a Nightscout client writes: Nightscout's own names
 * (`NOT COMPUTABLE`, `RATE OUT OF RANGE` with their spaces) and the two that
 * Loop's NightscoutKit writes instead (`NotComputable`, `RateOutOfRange`).
 * Kept verbatim, so a client reads back the word it sent.
 */
export const NIGHTSCOUT_DIRECTIONS = [...NIGHTSCOUT_TREND_NAMES, 'NotComputable', 'RateOutOfRange'] as const;
export type NightscoutDirection = (typeof NIGHTSCOUT_DIRECTIONS)[number];

/** Minutes a clock may be off UTC: −14:00 … +14:00. */
const UTC_OFFSET_LIMIT = 14 * 60;
/** Bound on raw sensor counts (`filtered`, `unfiltered`): Dexcom's are in the hundreds of thousands. */
const RAW_SENSOR_LIMIT = 10_000_000;

const NightscoutTextSchema = textSchema(TEXT_LIMITS.short, 1);

/**
 * What a Nightscout client said about a reading that the common fields do
 * not carry, kept so that `GET /api/v1/entries` gives back what was uploaded:
 * the direction word verbatim (the six-valued `trend_direction` loses
 * `TripleUp` from `DoubleUp`, `FortyFiveUp` from `SingleUp`, and the two
 * "no direction" states from `NONE`), the numeric `trend` (0–9, numbered alike
 * by Nightscout and Loop), and the uploader's extras. Every field is optional.
 */
export const NightscoutDetailsSchema = z.strictObject({
  direction: z.enum(NIGHTSCOUT_DIRECTIONS).optional().describe('`direction` as the client sent it'),
  trend: z.number().int().min(0).max(9).optional().describe('`trend`, the numeric arrow as the client sent it'),
  trend_rate: z
    .number()
    .min(-TREND_RATE_LIMIT)
    .max(TREND_RATE_LIMIT)
    .optional()
    .describe('`trendRate`: rate of change in mg/dL/min'),
  noise: z.number().int().min(0).max(9).optional().describe('`noise`: 0 none … 4 heavy (xDrip+)'),
  filtered: z.number().min(0).max(RAW_SENSOR_LIMIT).optional().describe('`filtered`: raw filtered sensor count'),
  unfiltered: z.number().min(0).max(RAW_SENSOR_LIMIT).optional().describe('`unfiltered`: raw sensor count'),
  rssi: z.number().int().min(-1000).max(1000).optional().describe('`rssi`: receiver signal strength'),
  device: NightscoutTextSchema.optional().describe('`device`: the uploader that sent it (`xDrip-DexcomG6`, `loop://iPhone`, …)'),
  date_string: NightscoutTextSchema.optional().describe('`dateString` as sent (it may carry a local offset)'),
  sys_time: NightscoutTextSchema.optional().describe('`sysTime` as sent'),
  utc_offset: z.number().int().min(-UTC_OFFSET_LIMIT).max(UTC_OFFSET_LIMIT).optional().describe('`utcOffset`, minutes'),
  condition: z.enum(['belowRange', 'aboveRange']).optional().describe("`condition`: Loop's mark of a value beyond the sensor's range"),
  is_calibration: z.boolean().optional().describe("`isCalibration`: Loop's mark of a display-only value"),
});

export type NightscoutDetails = z.infer<typeof NightscoutDetailsSchema>;
