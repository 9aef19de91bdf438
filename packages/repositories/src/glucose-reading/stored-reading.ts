import type { Item } from '@vitals/dynamodb-core';
import { GlucoseReadingSchema, type GlucoseReading } from '@vitals/models';

/** What a batch save did with each reading it was given (a timestamp repeated in one call counts once). */
export interface ReadingSaveCounts {
  /** Nothing was stored under the timestamp: written with `created_at` now. */
  new: number;
  /** A different reading was stored: replaced, keeping its `created_at`. */
  changed: number;
  /** The same reading was stored: nothing written, its `created_at`, `updated_at` and `srv_modified` kept (no change in the feed). */
  unchanged: number;
}

/** A batch save's readings as they now stand in the table, and what it took to get there. */
export interface ReadingSaveResult {
  readings: GlucoseReading[];
  counts: ReadingSaveCounts;
}

/** Attributes the repository sets on every write: not part of what a reading says. */
const SERVER_FIELDS = new Set(['created_at', 'updated_at', 'srv_modified', 'expires_at']);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const bKeys = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return aKeys.length === bKeys.length && aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Whether `stored` says exactly what `next` says (server fields aside), attribute by attribute. */
function sameReading(stored: GlucoseReading, next: GlucoseReading): boolean {
  const fields = new Set([...Object.keys(stored), ...Object.keys(next)]);
  for (const field of fields) {
    if (SERVER_FIELDS.has(field)) continue;
    if (!sameValue((stored as Record<string, unknown>)[field], (next as Record<string, unknown>)[field])) return false;
  }
  return true;
}

/**
 * How to save `next` over what the table holds under its key: `unchanged`
 * (nothing to write; the stored reading stands, timestamps and TTL
 * included), `changed` (write `next` with the stored `created_at`), or `new`.
 * A stored item that fails the schema is replaced as `changed`, with a fresh
 * `created_at`, since its own cannot be trusted.
 */
export function planReadingWrite(
  stored: Item | undefined,
  next: GlucoseReading,
): { outcome: keyof ReadingSaveCounts; reading: GlucoseReading; write: boolean } {
  if (stored === undefined) return { outcome: 'new', reading: next, write: true };
  const parsed = GlucoseReadingSchema.safeParse(stored);
  if (!parsed.success) return { outcome: 'changed', reading: next, write: true };
  if (sameReading(parsed.data, next)) return { outcome: 'unchanged', reading: parsed.data, write: false };
  return { outcome: 'changed', reading: { ...next, created_at: parsed.data.created_at }, write: true };
}
