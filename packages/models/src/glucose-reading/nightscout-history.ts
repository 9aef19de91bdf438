import { z } from 'zod';
import { NightscoutEntrySchema, nightscoutEntryId, readingToNightscoutEntry } from './nightscout-entry.ts';
import type { ReadingChange } from './reading-tombstone.entity.ts';

/** Epoch milliseconds, as Nightscout v3 writes its times. */
const EpochMsSchema = z.number().int().min(0);

/**
 * One document of Nightscout v3's `/entries/history/{lastModified}`: a stored
 * entry (`isValid: true`) as `/api/v1/entries` answers it plus v3's
 * `identifier`, `srvModified` and `srvCreated`; or a deleted one, of which
 * only its identity and `isValid: false` remain.
 */
export const NightscoutHistoryDocumentSchema = z.union([
  NightscoutEntrySchema.extend({
    identifier: z.string().describe('The entry `_id`'),
    srvModified: EpochMsSchema.describe('When the server last changed it (epoch ms)'),
    srvCreated: EpochMsSchema.describe('When the server first stored it (epoch ms)'),
    isValid: z.literal(true),
  }),
  z.strictObject({
    identifier: z.string().describe('The deleted entry `_id`'),
    date: EpochMsSchema.describe('Its reading time (epoch ms)'),
    srvModified: EpochMsSchema.describe('When it was deleted (epoch ms)'),
    isValid: z.literal(false),
  }),
]);
export type NightscoutHistoryDocument = z.infer<typeof NightscoutHistoryDocumentSchema>;

/** A change of the readings' feed as Nightscout v3 history serves it: deletions as `isValid: false`. */
export function readingChangeToNightscoutDocument(change: ReadingChange): NightscoutHistoryDocument {
  if (change.kind === 'delete') {
    return {
      identifier: nightscoutEntryId(change.user_id, change.timestamp),
      date: Date.parse(change.timestamp),
      srvModified: change.srv_modified,
      isValid: false,
    };
  }
  const entry = readingToNightscoutEntry(change.reading);
  return { ...entry, identifier: entry._id, srvModified: change.srv_modified, srvCreated: Date.parse(change.reading.created_at), isValid: true };
}
