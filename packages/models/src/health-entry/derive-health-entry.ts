import { ModelError } from '../common/model-error.ts';
import type { ParseProblem } from '../common/parse-result.ts';
import type { HealthEntry, HealthEntryInput } from './health-entry.schema.ts';
import { healthEntryKey } from './health-entry.keys.ts';
import { parseMedicationName } from './medication-name.schema.ts';
import { parseBloodPressure, parseO2, parsePainLevel, parseSleep } from './health-notation.parser.ts';

/** The attributes `deriveHealthEntry` computes; everything else is kept as written. */
export const DERIVED_HEALTH_ATTRIBUTES = [
  'medication_taken',
  'max_pain_level',
  'systolic',
  'diastolic',
  'sleep_minutes',
  'o2_percent',
] as const;
export type DerivedHealthAttribute = (typeof DERIVED_HEALTH_ATTRIBUTES)[number];

export interface HealthEntryDerived {
  medication_taken?: string;
  max_pain_level?: number;
  systolic?: number;
  diastolic?: number;
  sleep_minutes?: number;
  o2_percent?: number;
}

/** The raw fields derivation reads. */
export interface HealthEntryNotation {
  readonly medications: Readonly<Record<string, string>>;
  readonly pain: Readonly<Record<string, string>>;
  readonly o2?: string | undefined;
  readonly bpr?: string | undefined;
  readonly sleep?: string | undefined;
  readonly medication_taken?: string | undefined;
}

export type Derived<T> = Omit<T, DerivedHealthAttribute> & HealthEntryDerived;

/**
 * The outcome of {@link deriveHealthEntry}: always the entry with whatever
 * could be derived, plus — when anything failed — every problem found.
 */
export type DeriveResult<T> =
  | { readonly ok: true; readonly value: Derived<T> }
  | { readonly ok: false; readonly value: Derived<T>; readonly errors: readonly ParseProblem[] };

/**
 * Fills the derived attributes of a health entry from its raw notation:
 * `medication_taken` (the first listed medication), `max_pain_level` (the
 * highest level in any pain string), `systolic`/`diastolic`, `sleep_minutes`,
 * `o2_percent`. Stale derived values on the input are dropped first; a value
 * that does not parse leaves its attribute out and is reported with `path`
 * (`0523/1300`, `2025-05-23/1300`) and field path. If the input already has
 * a `medication_taken` naming one of its medications it is kept: DynamoDB
 * maps do not preserve order, so after a round trip that attribute is the
 * only record of which medication was listed first.
 */
export function deriveHealthEntry<T extends HealthEntryNotation>(raw: T, path: string): DeriveResult<T> {
  const errors: ParseProblem[] = [];
  const derived: HealthEntryDerived = {};

  const names = Object.keys(raw.medications);
  for (const name of names) {
    const result = parseMedicationName(name, { path, field: 'medications' });
    if (!result.ok) errors.push(result.error);
  }
  const recorded = raw.medication_taken;
  const primary = recorded !== undefined && names.includes(recorded) ? recorded : names[0];
  if (primary !== undefined && parseMedicationName(primary).ok) derived.medication_taken = primary;

  let maxPain: number | undefined;
  for (const [location, level] of Object.entries(raw.pain)) {
    const result = parsePainLevel(level, { path, field: `pain.${location}` });
    if (!result.ok) errors.push(result.error);
    else maxPain = Math.max(maxPain ?? 0, result.value.max);
  }
  if (maxPain !== undefined) derived.max_pain_level = maxPain;

  if (raw.bpr !== undefined) {
    const result = parseBloodPressure(raw.bpr, { path, field: 'bpr' });
    if (result.ok) Object.assign(derived, result.value);
    else errors.push(result.error);
  }
  if (raw.sleep !== undefined) {
    const result = parseSleep(raw.sleep, { path, field: 'sleep' });
    if (result.ok) derived.sleep_minutes = result.value;
    else errors.push(result.error);
  }
  if (raw.o2 !== undefined) {
    const result = parseO2(raw.o2, { path, field: 'o2' });
    if (result.ok) derived.o2_percent = result.value;
    else errors.push(result.error);
  }

  const kept = { ...raw } as Record<string, unknown>;
  for (const attribute of DERIVED_HEALTH_ATTRIBUTES) delete kept[attribute];
  const value = { ...kept, ...derived } as Derived<T>;
  return errors.length === 0 ? { ok: true, value } : { ok: false, value, errors };
}

/**
 * The stored entry for a validated API input at `date`/`time`, derived
 * attributes filled. Throws when the input does not derive cleanly, which
 * `HealthEntryInputSchema` has already ruled out.
 */
export function toHealthEntry(date: string, time: string, input: HealthEntryInput): HealthEntry {
  const path = `${date}/${time}`;
  const result = deriveHealthEntry({ ...healthEntryKey(date, time), ...input }, path);
  if (!result.ok) {
    throw new ModelError('models.invalidHealthEntry', result.errors.map((error) => error.message).join('; '), {
      path,
      errors: result.errors,
    });
  }
  return result.value;
}
