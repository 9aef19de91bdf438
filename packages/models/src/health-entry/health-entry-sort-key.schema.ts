import { z } from 'zod';
import { isHealthTime } from '../common/formats.schema.ts';
import { isMedicationName } from './medication-name.schema.ts';

/** Sort-key prefix of medication index items; `m` sorts after every digit, so after every HHMM. */
export const MEDICATION_INDEX_PREFIX = 'med#';

const MEDICATION_INDEX_TIMESTAMP = /^med#([^#]+)#(\d{4})$/;

/** True for a `med#<medication>#<HHMM>` sort key. */
export function isMedicationIndexTimestamp(timestamp: string): boolean {
  const match = MEDICATION_INDEX_TIMESTAMP.exec(timestamp);
  return match !== null && isMedicationName(match[1] ?? '') && isHealthTime(match[2] ?? '');
}

/** A `timestamp` of the health-entries table: an entry's HHMM or an index item's `med#<medication>#<HHMM>`. */
export const HealthEntrySortKeySchema = z.string().refine((value) => isHealthTime(value) || isMedicationIndexTimestamp(value), {
  message: 'must be HHMM or med#<medication>#<HHMM>',
});
