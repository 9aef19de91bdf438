/**
 * Times as Dexcom API v3 writes and reads them.
 *
 * - Query parameters (`startDate`, `endDate`, `lastSyncTime`) are UTC in
 *   `YYYY-MM-DDThh:mm:ss`, the form Dexcom documents (`lastSyncTime` may end
 *   in `Z`, as its examples do); anything else is refused, so a client that
 *   sends milliseconds or a local offset hears about it here rather than from
 *   Dexcom.
 * - `systemTime` is UTC, `displayTime` the time the device showed, i.e. in the
 *   user's zone. As Dexcom documents for egvs, records sourced from mobile apps
 *   (`displayDevice` `iOS` or `android`) carry UTC offsets, records from a
 *   receiver carry none.
 */

export type DisplayDevice = 'iOS' | 'android' | 'receiver';

const DEXCOM_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Epoch milliseconds of a `YYYY-MM-DDThh:mm:ss` UTC time, or undefined when it is not one.
 * `allowZ` also takes a trailing `Z`, which Dexcom's examples of `lastSyncTime` show.
 */
export function parseDexcomDate(text: string, { allowZ = false } = {}): number | undefined {
  if (allowZ && text.endsWith('Z')) return parseDexcomDate(text.slice(0, -1));
  const match = DEXCOM_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2024-02-30 over into March: a date that does not round-trip does not exist.
  return formatUtc(millis) === text ? millis : undefined;
}

/** `YYYY-MM-DDThh:mm:ss` of an instant in UTC (seconds truncated). */
export function formatUtc(millis: number): string {
  return new Date(Math.floor(millis / 1000) * 1000).toISOString().slice(0, 19);
}

/** `+hh:mm` / `-hh:mm` of an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const OFFSET_BUCKET_MS = 15 * 60_000;

/** Throws a RangeError naming the zone when it is not an IANA time zone this Node knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatterFor(timeZone);
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}" (an IANA name such as "Europe/Berlin" is expected)`);
  }
}

/** The zone's offset from UTC in minutes at an instant (daylight saving included). */
export function zoneOffsetMinutes(timeZone: string, millis: number): number {
  // Zones change their offset on quarter hours at the finest: one answer per zone and quarter hour.
  const bucket = Math.floor(millis / OFFSET_BUCKET_MS);
  const key = `${timeZone}@${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * OFFSET_BUCKET_MS;
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const localAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  const offset = Math.round((localAsUtc - at) / 60_000);
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** `systemTime` and `displayTime` of a record taken at an instant, as the display device writes them. */
export function recordTimes(
  millis: number,
  timeZone: string,
  displayDevice: DisplayDevice,
): { systemTime: string; displayTime: string } {
  const offset = zoneOffsetMinutes(timeZone, millis);
  const systemTime = formatUtc(millis);
  const displayTime = formatUtc(millis + offset * 60_000);
  if (displayDevice === 'receiver') return { systemTime, displayTime };
  return { systemTime: `${systemTime}+00:00`, displayTime: `${displayTime}${formatOffset(offset)}` };
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
