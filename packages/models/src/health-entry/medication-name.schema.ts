import { z } from 'zod';
import type { ParseLocation, ParseResult } from '../common/parse-result.ts';
import { parseFailure } from '../common/parse-result.ts';
import { isWellFormedText } from '../common/text.schema.ts';

/** Medication names go into keys (`med#<name>#<HHMM>`), so `#` is reserved. */
export const MEDICATION_NAME_MAX_LENGTH = 200;

export function isMedicationName(name: string): boolean {
  return name.length >= 1 && name.length <= MEDICATION_NAME_MAX_LENGTH && !name.includes('#') && isWellFormedText(name);
}

/** A medication name: 1..200 characters of well-formed text, no `#`. Case and spacing are kept as written. */
export const MedicationNameSchema = z.string().refine(isMedicationName, {
  message: `must be 1..${MEDICATION_NAME_MAX_LENGTH} characters without "#"`,
});

/** Checks a medication name with the same problem shape as the notation parsers. */
export function parseMedicationName(value: unknown, at: ParseLocation = {}): ParseResult<string> {
  if (typeof value === 'string' && isMedicationName(value)) return { ok: true, value };
  return parseFailure(
    value,
    at,
    'medications',
    'a medication name',
    `1..${MEDICATION_NAME_MAX_LENGTH} characters without "#"`,
  );
}

/**
 * The spelling a medication is matched by, whatever case it was written in
 * (`Ibuprofen`, `IBUPROFEN` → `ibuprofen`). Names are stored as written;
 * the medication index also lists each entry under this form (see README,
 * "Medication index"), and queries look it up.
 */
export function medicationMatchName(name: string): string {
  return name.toLowerCase();
}
