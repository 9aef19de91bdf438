import { DexcomError } from './dexcom-error.ts';
import { MAX_EGV_WINDOW_DAYS, dexcomQueryTime, dexcomTimeToIso, egvWindows, formatDexcomTime, wholeSecondWindow } from './dexcom-time.ts';

const DAY = 86_400_000;
const iso = (window: { start: Date; end: Date }) => [window.start.toISOString(), window.end.toISOString()];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof DexcomError ? error.code : 'not a DexcomError';
  }
  return undefined;
}

describe('dexcom-time', () => {
  describe('.formatDexcomTime', () => {
    it('when given an instant, writes UTC YYYY-MM-DDThh:mm:ss without fraction or offset', () => {
      expect(formatDexcomTime(new Date('2026-04-30T17:05:09.999+02:00'))).toBe('2026-04-30T15:05:09');
    });
  });

  describe('.dexcomQueryTime', () => {
    it('when given a string with an offset, writes it in UTC rounded down to the second', () => {
      expect(dexcomQueryTime('2026-01-01T18:00:00.700+01:00', 'lastSyncTime')).toBe('2026-01-01T17:00:00');
    });

    it('when the string is not an instant, throws dexcom.invalidArgument', () => {
      expect(codeOf(() => dexcomQueryTime('yesterday', 'lastSyncTime'))).toBe('dexcom.invalidArgument');
    });
  });

  describe('.wholeSecondWindow', () => {
    it('when the ends have milliseconds, rounds the start down and the end up', () => {
      expect(iso(wholeSecondWindow('2026-04-01T00:00:00.400Z', '2026-04-01T01:00:00.001Z'))).toEqual([
        '2026-04-01T00:00:00.000Z',
        '2026-04-01T01:00:01.000Z',
      ]);
    });

    it.each([
      ['the end equals the start', '2026-04-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['the end is before the start', '2026-04-02T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['an end is not an instant', '2026-04-01T00:00:00Z', 'soon'],
    ])('when %s, throws dexcom.invalidArgument', (_name, start, end) => {
      expect(codeOf(() => wholeSecondWindow(start, end))).toBe('dexcom.invalidArgument');
    });
  });

  describe('.egvWindows', () => {
    it(`when the window is 90 days, splits it into three of ${MAX_EGV_WINDOW_DAYS} days, each starting where the last ended`, () => {
      const start = new Date('2026-01-01T00:00:00Z');
      const windows = egvWindows(start, new Date(start.getTime() + 90 * DAY));
      expect(windows.map(iso)).toEqual([
        ['2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z'],
        ['2026-01-31T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
        ['2026-03-02T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ]);
    });

    it('when the window is exactly 30 days, keeps it whole', () => {
      expect(egvWindows('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')).toHaveLength(1);
    });

    it('when the window is 30 days and a second, the second is a window of its own', () => {
      expect(egvWindows('2026-01-01T00:00:00Z', '2026-01-31T00:00:01Z').map(iso)).toEqual([
        ['2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z'],
        ['2026-01-31T00:00:00.000Z', '2026-01-31T00:00:01.000Z'],
      ]);
    });

    it('when the window has milliseconds, the windows cover it in whole seconds', () => {
      expect(egvWindows('2026-01-01T00:00:00.500Z', '2026-01-01T00:05:00.500Z').map(iso)).toEqual([
        ['2026-01-01T00:00:00.000Z', '2026-01-01T00:05:01.000Z'],
      ]);
    });

    it('when the window is empty, gives no window; when reversed, throws dexcom.invalidArgument', () => {
      expect(egvWindows('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual([]);
      expect(codeOf(() => egvWindows('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z'))).toBe('dexcom.invalidArgument');
    });

    it('when the window is a year, every window is at most 30 days and together they cover it without gaps', () => {
      const windows = egvWindows('2025-03-01T07:13:21Z', '2026-03-01T07:13:21Z');
      expect(windows).toHaveLength(13);
      expect(windows.every((window) => window.end.getTime() - window.start.getTime() <= 30 * DAY)).toBe(true);
      expect(windows.slice(1).every((window, index) => window.start.getTime() === windows[index]?.end.getTime())).toBe(true);
      expect(iso(windows[12] as { start: Date; end: Date })[1]).toBe('2026-03-01T07:13:21.000Z');
    });
  });

  describe('.dexcomTimeToIso', () => {
    it.each([
      ['a receiver time without an offset, read as UTC', '2021-06-01T01:10:08', '2021-06-01T01:10:08.000Z'],
      ['a time in Z', '2019-08-24T14:15:22Z', '2019-08-24T14:15:22.000Z'],
      ['a mobile-app time with an offset', '2023-01-01T09:12:35-08:00', '2023-01-01T17:12:35.000Z'],
      ['an offset without a colon', '2023-01-01T09:12:35+0530', '2023-01-01T03:42:35.000Z'],
      ['a fraction', '2023-01-01T09:12:35.25Z', '2023-01-01T09:12:35.250Z'],
      ['a leap day', '2024-02-29T00:00:00', '2024-02-29T00:00:00.000Z'],
    ])('when given %s, answers the UTC instant', (_name, value, expected) => {
      expect(dexcomTimeToIso(value)).toBe(expected);
    });

    it.each([
      ['a day that does not exist', '2023-02-30T00:00:00'],
      ['hour 24', '2023-01-01T24:00:00'],
      ['a date only', '2023-01-01'],
      ['a space for the T', '2023-01-01 09:12:35'],
      ['words', 'yesterday'],
    ])('when given %s, answers undefined', (_name, value) => {
      expect(dexcomTimeToIso(value)).toBeUndefined();
    });
  });
});
