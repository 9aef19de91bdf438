import { z } from 'zod';

/**
 * Free text that arrives from clients is bounded, so that no item can come
 * near DynamoDB's 400 KB limit (a write would fail as a whole), and must be
 * well-formed Unicode: a lone UTF-16 surrogate cannot be encoded as UTF-8,
 * so DynamoDB would refuse it, or a UTF-8 conversion would silently replace it.
 */
export const TEXT_LIMITS = {
  /** Names and labels: a device id, a pain location, an activity, a dose. */
  short: 200,
  /** A health-log note. */
  long: 4_000,
  /** Entries in one map of a health-log entry (medications, pain, activities). */
  mapEntries: 50,
} as const;

/** In `u` mode a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** True when `text` has no lone surrogate (ES2024 `String#isWellFormed`). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export const WELL_FORMED_MESSAGE = 'must be well-formed Unicode text (no lone surrogates)';

/** A string of `min`..`max` characters, well-formed. */
export function textSchema(max: number, min = 0) {
  return z.string().min(min).max(max).refine(isWellFormedText, { message: WELL_FORMED_MESSAGE });
}
