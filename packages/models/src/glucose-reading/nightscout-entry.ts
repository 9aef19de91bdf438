import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PLAUSIBLE_SINCE, TOO_OLD_MESSAGE } from '../common/plausibility.ts';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import { GlucoseReadingInputSchema, type GlucoseReading, type GlucoseReadingInput } from './glucose-reading.schema.ts';
import {
  GLUCOSE_HIGH_SENTINEL,
  GLUCOSE_LOW_SENTINEL,
  GLUCOSE_MAX_MGDL,
  GLUCOSE_MIN_MGDL,
  trendFromDexcom,
  type TrendDirection,
} from './glucose-units.ts';
import { NIGHTSCOUT_DIRECTIONS, NightscoutDetailsSchema, type NightscoutDirection, type NightscoutDetails } from './nightscout-details.schema.ts';

/** `source` of a reading that arrived through the Nightscout API. */
export const NIGHTSCOUT_SOURCE = 'nightscout';
/** `device_info` fields a Nightscout entry has no value for (it names only the uploader, in `device`). */
const UNKNOWN_DEVICE = 'unknown';

/**
 * Nightscout's numeric `trend` per direction (Dexcom's numbering, which
 * Nightscout and Loop use). The first direction of each number is the one a
 * number alone stands for; the variants follow.
 */
const TREND_NUMBER: Readonly<Record<NightscoutDirection, number>> = {
  NONE: 0,
  DoubleUp: 1,
  SingleUp: 2,
  FortyFiveUp: 3,
  Flat: 4,
  FortyFiveDown: 5,
  SingleDown: 6,
  DoubleDown: 7,
  'NOT COMPUTABLE': 8,
  'RATE OUT OF RANGE': 9,
  TripleUp: 1,
  TripleDown: 7,
  NotComputable: 8,
  RateOutOfRange: 9,
};

/** A numeric `trend` sent without a `direction`, read as Nightscout numbers it. */
const DIRECTION_OF_NUMBER: ReadonlyMap<number, NightscoutDirection> = new Map(
  (Object.entries(TREND_NUMBER) as [NightscoutDirection, number][]).reverse().map(([direction, trend]) => [trend, direction]),
);

/** A Dexcom v3 trend word as the Nightscout direction it names. */
const DIRECTION_OF_DEXCOM: Readonly<Record<string, NightscoutDirection>> = {
  doubleUp: 'DoubleUp',
  singleUp: 'SingleUp',
  fortyFiveUp: 'FortyFiveUp',
  flat: 'Flat',
  fortyFiveDown: 'FortyFiveDown',
  singleDown: 'SingleDown',
  doubleDown: 'DoubleDown',
  notComputable: 'NOT COMPUTABLE',
  rateOutOfRange: 'RATE OUT OF RANGE',
};

/** The direction a six-valued `trend_direction` stands for when nothing finer is known. */
const DIRECTION_OF_TREND: Readonly<Record<TrendDirection, NightscoutDirection>> = {
  rising_rapidly: 'DoubleUp',
  rising: 'SingleUp',
  steady: 'Flat',
  falling: 'SingleDown',
  falling_rapidly: 'DoubleDown',
  unknown: 'NONE',
};

const EntryTextSchema = textSchema(TEXT_LIMITS.short, 1);

/** The fields of an `sgv` entry Vitals reads; any other field is ignored, as Nightscout's own clients add their own. */
const SgvEntrySchema = z.object({
  type: z.literal('sgv').optional(),
  sgv: z.number().describe('mg/dL; 39 is LOW and 401 HIGH, as Dexcom writes them'),
  // Loop writes `timeIntervalSince1970 * 1000`, a fraction of a millisecond included: cut to the millisecond, as instants are stored.
  date: z.number().min(0).max(253_402_300_799_999).transform(Math.floor).optional().describe('Epoch milliseconds'),
  dateString: EntryTextSchema.optional(),
  sysTime: EntryTextSchema.optional(),
  utcOffset: NightscoutDetailsSchema.shape.utc_offset,
  direction: z.enum(NIGHTSCOUT_DIRECTIONS).optional(),
  trend: NightscoutDetailsSchema.shape.trend,
  trendRate: NightscoutDetailsSchema.shape.trend_rate.nullable(),
  noise: NightscoutDetailsSchema.shape.noise,
  filtered: NightscoutDetailsSchema.shape.filtered,
  unfiltered: NightscoutDetailsSchema.shape.unfiltered,
  rssi: NightscoutDetailsSchema.shape.rssi,
  device: EntryTextSchema.optional(),
  condition: NightscoutDetailsSchema.shape.condition,
  isCalibration: NightscoutDetailsSchema.shape.is_calibration,
});

type SgvEntry = z.infer<typeof SgvEntrySchema>;

/** What one uploaded entry became: a reading to store, or an entry of a type Vitals does not keep. */
export type NightscoutUpload =
  | { kind: 'sgv'; reading: GlucoseReadingInput }
  | { kind: 'ignored'; type: string; entry: Record<string, unknown> };

/** The entry's instant: `date`, else `dateString`; an issue (at `date`) when neither gives one. */
function instantOf(entry: SgvEntry, ctx: z.RefinementCtx<unknown>): number | undefined {
  const ms = entry.date ?? (entry.dateString === undefined ? Number.NaN : Date.parse(entry.dateString));
  if (!Number.isFinite(ms)) {
    const [path, message] =
      entry.dateString === undefined ? ['date', 'is required: epoch milliseconds'] : ['dateString', 'is not a date and no date was sent'];
    ctx.addIssue({ code: 'custom', path: [path], message });
    return undefined;
  }
  if (new Date(ms).toISOString() < PLAUSIBLE_SINCE) {
    ctx.addIssue({ code: 'custom', path: [entry.date === undefined ? 'dateString' : 'date'], message: TOO_OLD_MESSAGE });
    return undefined;
  }
  return ms;
}

/** `sgv` as a stored value: 39/401 are the LOW/HIGH sentinels, anything else must be a measurable value. */
function glucoseOf(sgv: number, ctx: z.RefinementCtx<unknown>): { glucose_value: number; out_of_range?: 'low' | 'high' } | undefined {
  if (sgv === GLUCOSE_LOW_SENTINEL) return { glucose_value: sgv, out_of_range: 'low' };
  if (sgv === GLUCOSE_HIGH_SENTINEL) return { glucose_value: sgv, out_of_range: 'high' };
  if (sgv >= GLUCOSE_MIN_MGDL && sgv <= GLUCOSE_MAX_MGDL) return { glucose_value: sgv };
  ctx.addIssue({
    code: 'custom',
    path: ['sgv'],
    message: `must be ${GLUCOSE_MIN_MGDL}..${GLUCOSE_MAX_MGDL} mg/dL (${GLUCOSE_LOW_SENTINEL} is LOW, ${GLUCOSE_HIGH_SENTINEL} HIGH)`,
  });
  return undefined;
}

/** The details to keep: exactly the optional fields the entry carried. */
function detailsOf(entry: SgvEntry): NightscoutDetails {
  const details: NightscoutDetails = {
    direction: entry.direction,
    trend: entry.trend,
    trend_rate: entry.trendRate ?? undefined,
    noise: entry.noise,
    filtered: entry.filtered,
    unfiltered: entry.unfiltered,
    rssi: entry.rssi,
    device: entry.device,
    date_string: entry.dateString,
    sys_time: entry.sysTime,
    utc_offset: entry.utcOffset,
    condition: entry.condition,
    is_calibration: entry.isCalibration,
  };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)) as NightscoutDetails;
}

/** The six-valued trend an entry stands for: from its direction as `TrendInputSchema` maps one, else from its numeric trend. */
function trendDirectionOf(entry: SgvEntry): TrendDirection {
  if (entry.direction !== undefined) return trendFromDexcom(entry.direction);
  return trendFromDexcom(entry.trend === undefined ? undefined : DIRECTION_OF_NUMBER.get(entry.trend));
}

function sgvReading(entry: SgvEntry, ctx: z.RefinementCtx<unknown>): GlucoseReadingInput | typeof z.NEVER {
  const ms = instantOf(entry, ctx);
  const glucose = glucoseOf(entry.sgv, ctx);
  if (ms === undefined || glucose === undefined) return z.NEVER;
  const parsed = GlucoseReadingInputSchema.safeParse({
    timestamp: ms,
    ...glucose,
    glucose_unit: 'mg/dL',
    trend_direction: trendDirectionOf(entry),
    device_info: { device_id: entry.device ?? UNKNOWN_DEVICE, serial_number: UNKNOWN_DEVICE },
    reading_type: 'CGM',
    source: NIGHTSCOUT_SOURCE,
    nightscout: detailsOf(entry),
  });
  if (parsed.success) return parsed.data;
  // Every field was checked above under its Nightscout name; this is a guard, reported at the entry.
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [], message: `${issue.path.join('.')} ${issue.message}` });
  return z.NEVER;
}

/**
 * One entry of a `POST /api/v1/entries` body. An `sgv` entry (or one with no
 * `type` but an `sgv`) becomes a reading input: `date` (else `dateString`)
 * its timestamp, `sgv` its mg/dL value (39 LOW, 401 HIGH), `direction` its
 * `trend_direction` (`TripleUp` → rising_rapidly, …, `NOT COMPUTABLE` →
 * unknown; a numeric `trend` alone as Nightscout numbers it), and what it
 * sent kept in `nightscout`. Entries of other types (`mbg`, `cal`, …) are
 * `ignored`: Vitals keeps sensor readings only. Unknown fields are ignored;
 * problems point at the Nightscout field.
 */
export const NightscoutEntryInputSchema = z
  .looseObject({ type: z.string().max(TEXT_LIMITS.short).optional() })
  .transform((raw, ctx): NightscoutUpload => {
    const type = raw.type ?? ('sgv' in raw ? 'sgv' : undefined);
    if (type === undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'is required: sgv, mbg, cal, …' });
      return z.NEVER;
    }
    if (type !== 'sgv') return { kind: 'ignored', type, entry: raw };
    const entry = SgvEntrySchema.safeParse(raw);
    if (!entry.success) {
      for (const issue of entry.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return { kind: 'sgv', reading: sgvReading(entry.data, ctx) };
  });

/** Nightscout's `sgv` entry document as `GET /api/v1/entries` answers it. */
export const NightscoutEntrySchema = z.strictObject({
  _id: z.string().regex(/^[0-9a-f]{24}$/).describe('Stable per reading: see `nightscoutEntryId`'),
  type: z.literal('sgv'),
  sgv: z.number().describe('mg/dL; 39 is LOW, 401 HIGH'),
  date: z.number().int().describe('Epoch milliseconds'),
  dateString: z.string(),
  sysTime: z.string(),
  direction: z.enum(NIGHTSCOUT_DIRECTIONS),
  trend: z.number().int(),
  device: z.string(),
  trendRate: z.number().optional(),
  noise: z.number().optional(),
  filtered: z.number().optional(),
  unfiltered: z.number().optional(),
  rssi: z.number().optional(),
  utcOffset: z.number().optional(),
  condition: z.string().optional(),
  isCalibration: z.boolean().optional(),
});

export type NightscoutEntry = z.infer<typeof NightscoutEntrySchema>;

/** The last user's 12-hex-digit hash: a read maps hundreds of one user's readings, so it is hashed once, not per reading. */
let hashed: { userId: string; digits: string } | undefined;

function userDigits(userId: string): string {
  if (hashed?.userId !== userId) hashed = { userId, digits: createHash('sha256').update(userId).digest('hex').slice(0, 12) };
  return hashed.digits;
}

/**
 * A reading's Nightscout `_id`: 24 hex digits, the shape of a Mongo
 * ObjectId, which clients expect — like one, time first: the timestamp's
 * epoch milliseconds (12 digits), then the first 12 of SHA-256 over the
 * user id. The reading's key, so it is stable across reads, the same for a
 * re-sent entry, and different between users.
 */
export function nightscoutEntryId(userId: string, timestamp: string): string {
  return Date.parse(timestamp).toString(16).padStart(12, '0') + userDigits(userId);
}

/** The direction to report: the one uploaded, else Dexcom's own word, else the six-valued trend's. */
function directionOfReading(reading: GlucoseReading): NightscoutDirection {
  const dexcom = reading.dexcom?.trend === undefined ? undefined : DIRECTION_OF_DEXCOM[reading.dexcom.trend];
  return reading.nightscout?.direction ?? dexcom ?? DIRECTION_OF_TREND[reading.trend_direction];
}

/**
 * A stored reading as a Nightscout `sgv` entry: a reading that came through
 * Nightscout gives back every field it came with, verbatim; others get
 * their direction from Dexcom's trend word or their `trend_direction`.
 */
export function readingToNightscoutEntry(reading: GlucoseReading): NightscoutEntry {
  const ns = reading.nightscout ?? {};
  const direction = directionOfReading(reading);
  const entry: NightscoutEntry = {
    _id: nightscoutEntryId(reading.user_id, reading.timestamp),
    type: 'sgv',
    sgv: reading.glucose_value,
    date: Date.parse(reading.timestamp),
    dateString: ns.date_string ?? reading.timestamp,
    sysTime: ns.sys_time ?? reading.timestamp,
    direction,
    trend: ns.trend ?? TREND_NUMBER[direction],
    device: ns.device ?? reading.device_info.device_id,
  };
  // Assigned one by one rather than filtered: this runs for every entry of every read.
  const trendRate = ns.trend_rate ?? reading.dexcom?.trend_rate;
  if (trendRate !== undefined) entry.trendRate = trendRate;
  if (reading.nightscout === undefined) return entry;
  if (ns.noise !== undefined) entry.noise = ns.noise;
  if (ns.filtered !== undefined) entry.filtered = ns.filtered;
  if (ns.unfiltered !== undefined) entry.unfiltered = ns.unfiltered;
  if (ns.rssi !== undefined) entry.rssi = ns.rssi;
  if (ns.utc_offset !== undefined) entry.utcOffset = ns.utc_offset;
  if (ns.condition !== undefined) entry.condition = ns.condition;
  if (ns.is_calibration !== undefined) entry.isCalibration = ns.is_calibration;
  return entry;
}
