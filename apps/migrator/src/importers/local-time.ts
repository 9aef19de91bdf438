/**
 * UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm:ss`) in an IANA time
 * zone. Clarity exports local device time without an offset. Offsets are
 * cached per local hour, so a year of 5-minute readings costs ~9k lookups.
 */
export function localTimeConverter(timeZone: string): (local: string) => string | undefined {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (ms: number): number => {
    const parts = new Map(format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]));
    const at = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? Number.NaN;
    const asUtc = Date.UTC(at('year'), at('month') - 1, at('day'), at('hour'), at('minute'), at('second'));
    return asUtc - Math.floor(ms / 1_000) * 1_000;
  };
  const cache = new Map<string, number>();
  const shape = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/;
  return (local) => {
    const match = shape.exec(local.trim());
    if (!match) return undefined;
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(wall);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
    const hourKey = local.slice(0, 13);
    let offset = cache.get(hourKey);
    if (offset === undefined) {
      offset = offsetAt(wall - offsetAt(wall));
      cache.set(hourKey, offset);
    }
    return new Date(wall - offset).toISOString();
  };
}
