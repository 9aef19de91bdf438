import { z } from 'zod';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEALTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HEALTH_TIME = /^([01]\d|2[0-3])([0-5]\d)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** The number written by `length` ASCII digits of `value` at `start` (already checked by the regex). */
function digitsAt(value: string, start: number, length: number): number {
  let number = 0;
  for (let i = start; i < start + length; i++) number = number * 10 + value.charCodeAt(i) - 48;
  return number;
}

/**
 * Whether a string of the ISO_INSTANT shape names a real instant (no
 * 2024-02-30, no 24:00). Plain arithmetic rather than a Date round trip:
 * every stored reading has three instants, and reads parse thousands.
 */
function isRealInstant(value: string): boolean {
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(digitsAt(value, 0, 4), month) &&
    digitsAt(value, 11, 2) <= 23 &&
    digitsAt(value, 14, 2) <= 59 &&
    digitsAt(value, 17, 2) <= 59
  );
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

const RFC3339_MESSAGE = 'must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T08:00:00Z or 2026-05-01T10:00:00+02:00';

/**
 * An instant as clients write it: RFC 3339 with any offset (`Z`, `+02:00`,
 * `-05:00`) and any number of fraction digits, normalised to the stored UTC
 * form `YYYY-MM-DDTHH:mm:ss.sssZ` (`Date#toISOString`; digits beyond the
 * millisecond are dropped). One rule for bodies, query strings and paths.
 */
export const InstantInputSchema = z.iso
  .datetime({ offset: true, abort: true, error: RFC3339_MESSAGE })
  .transform((value) => new Date(value).toISOString())
  // An offset can move a year-0000 or year-9999 instant out of the fixed-width form.
  .pipe(IsoInstantSchema);

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
