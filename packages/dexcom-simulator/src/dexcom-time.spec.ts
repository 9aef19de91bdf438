import { formatOffset, formatUtc, parseDexcomDate, recordTimes, zoneOffsetMinutes, assertTimeZone } from './dexcom-time.ts';

describe('Dexcom times', () => {
  it('reads UTC times only in the documented YYYY-MM-DDThh:mm:ss form', () => {
    expect(parseDexcomDate('2022-02-06T09:12:35')).toBe(Date.UTC(2022, 1, 6, 9, 12, 35));
    for (const text of ['2022-02-06T09:12:35Z', '2022-02-06T09:12:35.000', '2022-02-06T09:12:35+01:00', '2022-02-06 09:12:35', '2022-02-06', '2022-02-30T00:00:00', '2022-13-01T00:00:00', '2022-02-06T24:00:00', '']) {
      expect(parseDexcomDate(text)).toBeUndefined();
    }
  });

  it('takes a trailing Z only when asked to, as lastSyncTime’s examples have it', () => {
    expect(parseDexcomDate('2022-02-06T09:12:35Z', { allowZ: true })).toBe(Date.UTC(2022, 1, 6, 9, 12, 35));
    expect(parseDexcomDate('2022-02-06T09:12:35', { allowZ: true })).toBe(Date.UTC(2022, 1, 6, 9, 12, 35));
    expect(parseDexcomDate('2022-02-06T09:12:35.000Z', { allowZ: true })).toBeUndefined();
  });

  it('writes UTC times and offsets', () => {
    expect(formatUtc(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05');
    expect(formatOffset(120)).toBe('+02:00');
    expect(formatOffset(-210)).toBe('-03:30');
    expect(formatOffset(0)).toBe('+00:00');
  });

  it('knows zone offsets across daylight saving', () => {
    expect(zoneOffsetMinutes('Europe/Berlin', Date.UTC(2026, 2, 29, 0, 59))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', Date.UTC(2026, 2, 29, 1, 0))).toBe(120);
    expect(zoneOffsetMinutes('America/St_Johns', Date.UTC(2026, 0, 1))).toBe(-210);
    expect(zoneOffsetMinutes('UTC', Date.UTC(2026, 0, 1))).toBe(0);
    expect(() => assertTimeZone('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });

  it('writes record times by display device', () => {
    const at = Date.UTC(2026, 6, 1, 12, 0, 7);
    expect(recordTimes(at, 'Europe/Berlin', 'receiver')).toEqual({ systemTime: '2026-07-01T12:00:07', displayTime: '2026-07-01T14:00:07' });
    expect(recordTimes(at, 'Europe/Berlin', 'android')).toEqual({
      systemTime: '2026-07-01T12:00:07+00:00',
      displayTime: '2026-07-01T14:00:07+02:00',
    });
  });
});
