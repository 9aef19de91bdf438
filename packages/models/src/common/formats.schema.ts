import { z } from 'zod';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEALTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HEALTH_TIME = /^([01]\d|2[0-3])([0-5]\d)$/;

function isRealInstant(value: string): boolean {
  const ms = Date.parse(value);
  // Date.parse rolls 2024-02-30 over to March 1st: round-tripping catches it.
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

/** True when `value` is `YYYY-MM-DD` naming a day that exists in the proleptic Gregorian calendar. */
export function isHealthDate(value: string): boolean {
  const match = HEALTH_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** True when `value` is an `HHMM` time of day, `0000`..`2359`. */
export function isHealthTime(value: string): boolean {
  return HEALTH_TIME.test(value);
}

/**
 * A UTC instant exactly as `Date#toISOString` writes it:
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, fixed width so string order is time order.
 */
export const IsoInstantSchema = z
  .string()
  .refine((value) => ISO_INSTANT.test(value) && isRealInstant(value), {
    message: 'must be a UTC instant YYYY-MM-DDTHH:mm:ss.sssZ',
  });

/** A health-log date `YYYY-MM-DD` naming a real calendar day. */
export const HealthDateSchema = z.string().refine(isHealthDate, {
  message: 'must be a calendar date YYYY-MM-DD',
});

/** A health-log time of day `HHMM`, `0000`..`2359`. */
export const HealthTimeSchema = z.string().refine(isHealthTime, {
  message: 'must be a time of day HHMM (0000..2359)',
});

/** Epoch seconds, the unit DynamoDB TTL reads. */
export const EpochSecondsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An opaque user id as used in keys and paths. */
export const UserIdSchema = z.string().min(1).max(256);

/** An OAuth/data provider name, e.g. `dexcom`: lowercase, used in keys. */
export const ProviderSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, { message: 'must be a lowercase provider name like "dexcom"' });

/** Optimistic-locking counter: 1 on first write, +1 on every update. */
export const VersionSchema = z.number().int().min(1);

export type IsoInstant = z.infer<typeof IsoInstantSchema>;
export type HealthDate = z.infer<typeof HealthDateSchema>;
export type HealthTime = z.infer<typeof HealthTimeSchema>;
