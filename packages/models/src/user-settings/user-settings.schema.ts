import { z } from 'zod';
import { IsoInstantSchema, UserIdSchema, VersionSchema } from '../common/formats.schema.ts';

/** The zone a user's settings hold until they set one. */
export const DEFAULT_TIME_ZONE = 'UTC';

/**
 * Zones already found valid. Building an `Intl.DateTimeFormat` costs ~60 µs,
 * and every daily rollup carries its zone: a year's report checked 365 of
 * them, 23 ms of its time. Only valid zones are kept (a few hundred exist),
 * so hostile input cannot grow the set.
 */
const knownZones = new Set<string>();

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

export const TimeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, { message: 'is not an IANA time zone' });

/** What a user may set: only their time zone so far (their local days: daily rollups, the report's hours). */
export const UserSettingsInputSchema = z.strictObject({
  time_zone: TimeZoneSchema.describe('IANA time zone of the user’s local days; default UTC'),
});
export type UserSettingsInput = z.infer<typeof UserSettingsInputSchema>;

/** A user's settings as stored in `user_settings`, one item per user. */
export const UserSettingsSchema = z.strictObject({
  user_id: UserIdSchema,
  time_zone: TimeZoneSchema,
  version: VersionSchema,
  updated_at: IsoInstantSchema,
});
export type UserSettings = z.infer<typeof UserSettingsSchema>;
