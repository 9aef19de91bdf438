import { DEXCOM_TRANSMITTER_GENERATIONS, DEXCOM_TREND_NAMES } from '@vitals/models';
import { z } from 'zod';
import { isDexcomDateTime } from './dexcom-time.ts';

/*
 * Response bodies of Dexcom's API v3 as its documentation describes them
 * (developer.dexcom.com: Authentication; v3 `egvs` and `dataRange`). Objects
 * are not strict: Dexcom may add fields, which are passed over, never
 * stored. Every documented field is checked with its documented
 * nullability.
 */

/** A Dexcom date-time (`systemTime`, `displayTime`): with or without a UTC offset. */
export const DexcomDateTimeSchema = z.string().refine(isDexcomDateTime, {
  message: 'must be an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss, optionally with a UTC offset)',
});

/** `POST /v2/oauth2/token`: the access token (lifetime `expires_in` seconds, 7200) and a new, single-use refresh token. */
export const DexcomTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().regex(/^bearer$/i, { message: 'must be "Bearer"' }),
  scope: z.string().optional(),
});

export const EGV_UNITS = ['unknown', 'mg/dL', 'mmol/L'] as const;
export const EGV_RATE_UNITS = ['unknown', 'mg/dL/min', 'mmol/L/min'] as const;
export const EGV_STATUSES = ['unknown', 'high', 'low', 'ok'] as const;

/** One record of `GET /v3/users/self/egvs`, nullability as documented. */
export const EgvRecordSchema = z.object({
  recordId: z.string().min(1),
  systemTime: DexcomDateTimeSchema,
  displayTime: DexcomDateTimeSchema,
  transmitterId: z.string().nullable(),
  transmitterTicks: z.number().int(),
  value: z.number().int().nullable(),
  status: z.enum(EGV_STATUSES).nullable(),
  trend: z.enum(DEXCOM_TREND_NAMES).nullable(),
  trendRate: z.number().nullable(),
  unit: z.enum(EGV_UNITS),
  rateUnit: z.enum(EGV_RATE_UNITS),
  displayDevice: z.string(),
  transmitterGeneration: z.enum(DEXCOM_TRANSMITTER_GENERATIONS),
});

/**
 * The `egvs` envelope. `records` is only checked to be an array here: each
 * record is parsed on its own (`parseEgvRecords`), so one bad record is
 * reported without losing the others.
 */
export const EgvsEnvelopeSchema = z.object({
  recordType: z.string(),
  recordVersion: z.string(),
  userId: z.string(),
  records: z.array(z.unknown()),
});

const DataRangeMomentSchema = z.object({
  systemTime: DexcomDateTimeSchema,
  displayTime: DexcomDateTimeSchema,
});

/** Earliest and latest record of one kind; absent or null when the user has none. */
const DataRangeWindowSchema = z
  .object({ start: DataRangeMomentSchema, end: DataRangeMomentSchema })
  .nullable()
  .optional()
  .transform((window) => window ?? null);

/** `GET /v3/users/self/dataRange`. */
export const DataRangeResponseSchema = z.object({
  recordType: z.string(),
  recordVersion: z.string(),
  userId: z.string(),
  calibrations: DataRangeWindowSchema,
  egvs: DataRangeWindowSchema,
  events: DataRangeWindowSchema,
});

/**
 * What an error body may say: OAuth's `error`/`error_description` (RFC
 * 6749 §5.2) from the token endpoint, or an API gateway's fault. Only read
 * for Dexcom's error code; anything else is passed over.
 */
export const DexcomErrorBodySchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  fault: z
    .object({ faultstring: z.string().optional(), detail: z.object({ errorcode: z.string().optional() }).optional() })
    .optional(),
});

export type DexcomTokenResponse = z.infer<typeof DexcomTokenResponseSchema>;
export type EgvRecord = z.infer<typeof EgvRecordSchema>;
export type EgvStatus = (typeof EGV_STATUSES)[number];
export type DataRangeResponse = z.output<typeof DataRangeResponseSchema>;
export type DataRangeWindow = NonNullable<DataRangeResponse['egvs']>;
