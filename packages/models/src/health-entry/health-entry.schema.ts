import { z } from 'zod';
import { HealthDateSchema, HealthTimeSchema } from '../common/formats.schema.ts';
import { parseBloodPressure, parseO2, parsePainLevel, parseSleep } from './health-notation.parser.ts';
import {
  DIASTOLIC_RANGE,
  O2_PERCENT_RANGE,
  PAIN_LEVEL_MAX,
  SLEEP_MINUTES_MAX,
  SYSTOLIC_RANGE,
} from './health-notation.parser.ts';
import {
  MEDICATION_NAME_MAX_LENGTH,
  MedicationNameSchema,
  isMedicationName,
  medicationMatchName,
} from './medication-name.schema.ts';
import { TEXT_LIMITS, textSchema } from '../common/text.schema.ts';
import { RESERVED_MAP_KEYS, mapSchema } from '../common/map.schema.ts';

function checkMedicationNames<T extends { medications: Record<string, string> }>(
  entry: T,
  ctx: z.RefinementCtx<T>,
): void {
  for (const name of Object.keys(entry.medications)) {
    if (!isMedicationName(name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['medications', name],
        message: `medication name ${JSON.stringify(name.slice(0, MEDICATION_NAME_MAX_LENGTH))} must be 1..${MEDICATION_NAME_MAX_LENGTH} characters of well-formed text without "#"`,
      });
    }
  }
}

const rawShape = {
  /** `{ name: dose }` in the order written; the first is the primary medication. */
  medications: mapSchema(z.record(z.string(), z.string())),
  /** `{ location: level }`, levels as written (`6-7-8`). */
  pain: mapSchema(z.record(z.string().min(1), z.string())),
  /** `{ activity: minutes }`. */
  activities: mapSchema(z.record(z.string().min(1), z.number().min(0))),
  o2: z.string().optional(),
  bpr: z.string().optional(),
  note: z.string().optional(),
  sleep: z.string().optional(),
};

/** A map of a client's entry: at most {@link TEXT_LIMITS.mapEntries} entries, no reserved key. */
function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V) {
  return mapSchema(
    z.record(key, value).refine((map) => Object.keys(map).length <= TEXT_LIMITS.mapEntries, {
      message: `may have at most ${TEXT_LIMITS.mapEntries} entries`,
    }),
  );
}

const LabelSchema = textSchema(TEXT_LIMITS.short, 1);

const RESERVED_NAMES_NOTE = `Any name round-trips exactly except ${[...RESERVED_MAP_KEYS.keys()].map((key) => `"${key}"`).join(' and ')}, which are refused`;

/** Notation values (`6-7-8`, `129/59`, `7:39`, `97`) are short; a longer one cannot parse and is not echoed whole. */
const NotationSchema = textSchema(64);

/**
 * DynamoDB answers ValidationException for a number of smaller magnitude than
 * 1e-130, so minutes like 5e-324 are refused here with a path, not there.
 */
const DYNAMODB_SMALLEST_NUMBER = 1e-130;
const ActivityMinutesSchema = z
  .number()
  .min(0)
  .max(100_000)
  .refine((minutes) => minutes === 0 || Math.abs(minutes) >= DYNAMODB_SMALLEST_NUMBER, {
    message: `must be 0 or at least ${DYNAMODB_SMALLEST_NUMBER}, the smallest number DynamoDB stores`,
  });

/**
 * What a client may send: the raw shape with every string bounded and
 * well-formed. Medication names are checked by `checkMedicationNames`.
 */
const inputShape = {
  medications: boundedRecord(z.string(), textSchema(TEXT_LIMITS.short)).describe(
    `{ name: dose }, the first listed is the primary medication. ${RESERVED_NAMES_NOTE}`,
  ),
  pain: boundedRecord(LabelSchema, NotationSchema).describe(`{ location: level such as "6-7-8" }. ${RESERVED_NAMES_NOTE}`),
  activities: boundedRecord(LabelSchema, ActivityMinutesSchema).describe(`{ activity: minutes }. ${RESERVED_NAMES_NOTE}`),
  o2: NotationSchema.optional(),
  bpr: NotationSchema.optional(),
  note: textSchema(TEXT_LIMITS.long).optional(),
  sleep: NotationSchema.optional(),
};

const MaxPainLevelSchema = z.number().int().min(0).max(PAIN_LEVEL_MAX);

/** Derived attributes every item of the table may carry; `max_pain_level` only on entries. */
const sharedDerivedShape = {
  systolic: z.number().int().min(SYSTOLIC_RANGE.min).max(SYSTOLIC_RANGE.max).optional(),
  diastolic: z.number().int().min(DIASTOLIC_RANGE.min).max(DIASTOLIC_RANGE.max).optional(),
  sleep_minutes: z.number().int().min(0).max(SLEEP_MINUTES_MAX).optional(),
  o2_percent: z.number().int().min(O2_PERCENT_RANGE.min).max(O2_PERCENT_RANGE.max).optional(),
};

/**
 * One health-log entry as a client sends it (`date` and time come from the
 * path; derived attributes are the server's). Every raw value must parse:
 * bad ones are issues at their path, e.g. `["pain","back"]`.
 */
export const HealthEntryInputSchema = z
  .strictObject({
    medications: inputShape.medications.default({}),
    pain: inputShape.pain.default({}),
    activities: inputShape.activities.default({}),
    o2: inputShape.o2,
    bpr: inputShape.bpr,
    note: inputShape.note,
    sleep: inputShape.sleep,
  })
  .superRefine((entry, ctx) => {
    checkMedicationNames(entry, ctx);
    const report = (result: { ok: boolean; error?: { message: string } }, path: (string | number)[]) => {
      if (!result.ok && result.error) ctx.addIssue({ code: 'custom', path, message: result.error.message });
    };
    for (const [location, level] of Object.entries(entry.pain)) {
      report(parsePainLevel(level, { field: `pain.${location}` }), ['pain', location]);
    }
    if (entry.bpr !== undefined) report(parseBloodPressure(entry.bpr), ['bpr']);
    if (entry.sleep !== undefined) report(parseSleep(entry.sleep), ['sleep']);
    if (entry.o2 !== undefined) report(parseO2(entry.o2), ['o2']);
  });

/**
 * A health-log entry as stored in the health-log table (the main item):
 * key `date` + `timestamp` (HHMM), raw notation as recorded, derived
 * attributes where they parsed. Raw strings are not re-checked on read, so
 * an entry stored with a value that did not parse still loads.
 */
export const HealthEntrySchema = z
  .strictObject({
    date: HealthDateSchema,
    timestamp: HealthTimeSchema,
    ...rawShape,
    ...sharedDerivedShape,
    medication_taken: MedicationNameSchema.optional(),
    max_pain_level: MaxPainLevelSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    checkMedicationNames(entry, ctx);
    if (entry.medication_taken !== undefined && !Object.hasOwn(entry.medications, entry.medication_taken)) {
      ctx.addIssue({ code: 'custom', path: ['medication_taken'], message: 'must be one of medications' });
    }
  });

/**
 * A medication index item (see README, "Medication index"): a copy of an
 * entry with a second-or-later medication in `medication_taken`, so that
 * `medication-index` finds the entry under that medication too.
 */
export const MedicationIndexItemSchema = z
  .strictObject({
    date: HealthDateSchema,
    /** `med#<medication_taken>#<entry_timestamp>` */
    timestamp: z.string(),
    ...rawShape,
    ...sharedDerivedShape,
    medication_taken: MedicationNameSchema,
    /** The HHMM of the entry this item indexes: also the marker telling index items from entries. */
    entry_timestamp: HealthTimeSchema,
    /** The entry's own (first-listed) medication_taken. */
    entry_medication_taken: MedicationNameSchema,
    /** The entry's max_pain_level, kept aside so this item stays out of pain-level-index. */
    entry_max_pain_level: MaxPainLevelSchema.optional(),
  })
  .superRefine((item, ctx) => {
    checkMedicationNames(item, ctx);
    if (item.timestamp !== `med#${item.medication_taken}#${item.entry_timestamp}`) {
      ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'must be med#<medication_taken>#<entry_timestamp>' });
    }
    if (!Object.hasOwn(item.medications, item.entry_medication_taken)) {
      ctx.addIssue({ code: 'custom', path: ['entry_medication_taken'], message: 'must be one of medications' });
    }
    // An item for case-insensitive matching carries the lower-case form of a listed name.
    const names = Object.keys(item.medications);
    if (!names.includes(item.medication_taken) && !names.some((name) => medicationMatchName(name) === item.medication_taken)) {
      ctx.addIssue({ code: 'custom', path: ['medication_taken'], message: 'must be one of medications, or the lower-case form of one' });
    }
    if (item.medication_taken === item.entry_medication_taken) {
      ctx.addIssue({
        code: 'custom',
        path: ['medication_taken'],
        message: 'the primary medication is indexed by the entry itself, not by an index item',
      });
    }
  });

/** Anything the health-log table holds: an entry or a medication index item. */
export const HealthEntryTableItemSchema = z.union([HealthEntrySchema, MedicationIndexItemSchema]);

export type HealthEntryInput = z.infer<typeof HealthEntryInputSchema>;
export type HealthEntry = z.infer<typeof HealthEntrySchema>;
export type MedicationIndexItem = z.infer<typeof MedicationIndexItemSchema>;
export type HealthEntryTableItem = z.infer<typeof HealthEntryTableItemSchema>;

/**
 * Parses an item read from the health-log table, choosing the schema by
 * the `entry_timestamp` marker so a bad item gets that schema's precise
 * issues rather than a bare "Invalid input" from the union.
 */
export function parseHealthEntryTableItem(item: unknown): z.ZodSafeParseResult<HealthEntryTableItem> {
  const isIndexItem = typeof item === 'object' && item !== null && 'entry_timestamp' in item;
  return isIndexItem ? MedicationIndexItemSchema.safeParse(item) : HealthEntrySchema.safeParse(item);
}
