import { z } from 'zod';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import { DEXCOM_TREND_NAMES } from './glucose-units.ts';

/** Transmitter generations of Dexcom's v3 API (`egvs[].transmitterGeneration`), as it writes them. */
export const DEXCOM_TRANSMITTER_GENERATIONS = ['unknown', 'g4', 'g5', 'g6', 'g6+', 'dexcomPro', 'g7'] as const;

/**
 * Bound on a stored rate of change, mg/dL/min. Glucose moves a few mg/dL a
 * minute at most (Dexcom's steepest arrows start at 3); the bound only keeps
 * nonsense out.
 */
export const TREND_RATE_LIMIT = 100;

const DexcomTextSchema = textSchema(TEXT_LIMITS.short, 1);

/**
 * What Dexcom's API said about a reading that the common fields do not
 * carry: its record id, its own trend word (one of 11, next to the
 * six-valued `trend_direction` it maps to), the rate of change in mg/dL/min,
 * and the transmitter generation and display device that recorded it. Each
 * is optional but `record_id`: Dexcom sends `trend` and `trendRate` as null
 * when it has none, and those are then left out.
 */
export const DexcomReadingDetailsSchema = z.strictObject({
  record_id: DexcomTextSchema.describe("Dexcom's recordId (a UUID per record and client)"),
  trend: z.enum(DEXCOM_TREND_NAMES).optional().describe("Dexcom's trend word, as its v3 API spells it"),
  trend_rate: z
    .number()
    .min(-TREND_RATE_LIMIT)
    .max(TREND_RATE_LIMIT)
    .optional()
    .describe('Rate of change, mg/dL/min'),
  transmitter_generation: z.enum(DEXCOM_TRANSMITTER_GENERATIONS).optional().describe('Transmitter generation, as Dexcom names it'),
  display_device: DexcomTextSchema.optional().describe('The device that displayed the reading: iOS, android or receiver'),
});

export type DexcomReadingDetails = z.infer<typeof DexcomReadingDetailsSchema>;
