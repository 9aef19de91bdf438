import { egvsToReadingInputs, type EgvsResult } from '@vitals/dexcom-client';
import type { GlucoseReadingInput } from '@vitals/models';

/** A record of a chunk that is not stored, and why (no glucose value or time is ever kept here). */
export interface SkippedRecord {
  record_id?: string;
  reason: string;
}

export interface ChunkReadings {
  /** One reading per instant, ready for the batch path. */
  inputs: GlucoseReadingInput[];
  /** Records Dexcom sent that did not parse (`invalid`), or that are no reading (`skipped`). */
  malformed: SkippedRecord[];
  unmappable: SkippedRecord[];
  /** Records passed over because another record has the same `systemTime` (the smallest `recordId` is kept). */
  duplicates: SkippedRecord[];
}

/**
 * The readings of one `egvs` answer: each record mapped, and of two records
 * at the same instant only the one with the smallest `recordId` — a choice
 * that does not depend on Dexcom's order, so every run and every worker
 * stores the same one, and the other is counted, never written.
 */
export function chunkReadings(result: EgvsResult, now: Date): ChunkReadings {
  const { inputs, skipped } = egvsToReadingInputs(result.records, { now });
  const kept = new Map<string, GlucoseReadingInput>();
  const duplicates: SkippedRecord[] = [];
  for (const input of inputs) {
    const other = kept.get(input.timestamp);
    if (other === undefined) {
      kept.set(input.timestamp, input);
      continue;
    }
    const [keep, drop] = recordIdOf(input) < recordIdOf(other) ? [input, other] : [other, input];
    kept.set(input.timestamp, keep);
    duplicates.push({ record_id: recordIdOf(drop), reason: `same instant as record ${recordIdOf(keep)} (${input.timestamp})` });
  }
  return {
    inputs: [...kept.values()],
    malformed: result.invalid.map((record) => ({
      ...(record.record_id === undefined ? {} : { record_id: record.record_id }),
      reason: `record ${record.index}: ${record.issues.join('; ')}`,
    })),
    unmappable: skipped.map((record) => ({ record_id: record.record_id, reason: record.reason })),
    duplicates,
  };
}

function recordIdOf(input: GlucoseReadingInput): string {
  return input.dexcom?.record_id ?? '';
}
