import { ModelError } from '../common/model-error.ts';
import { GlucoseStatisticsSchema } from './glucose-statistics.schema.ts';
import { glucoseStatistics, instantToEpochMs } from './glucose-statistics.ts';
import { percentileOfSorted } from './time-weighted-percentile.ts';

function at(iso: string, glucose_value: number) {
  return { timestamp: iso, glucose_value };
}

/*
 * Ten readings 10:00..10:45 UTC, every 5 minutes, in the 50 minutes they cover:
 * gap-free and regular, so each stands for 5 minutes and the time-weighted
 * figures are the count-based ones.
 * sorted: 50 60 70 100 120 150 180 200 250 300, sum 1480
 * mean = 1480 / 10 = 148
 * deviations: -98 -88 -78 -48 -28 2 32 52 102 152
 * squares: 9604 7744 6084 2304 784 4 1024 2704 10404 23104 → sum 63760
 * population variance = 63760 / 10 = 6376 → sd = √6376 = 79.849859...
 * cv = 79.849859 / 148 × 100 = 53.952608...
 * gmi = 3.31 + 0.02392 × 148 = 3.31 + 3.54016 = 6.85016
 * ranges: <54 {50}; [54,70) {60}; [70,180] {70,100,120,150,180}; (180,250] {200,250}; >250 {300}
 *       → 10%, 10%, 50%, 20%, 10%
 * sufficiency: 10 × 5 min active of the 50-minute window = 100 %
 * R7 percentiles, n = 10, rank h = 9p, value = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]):
 *   p5:  h = 0.45 → 50 + 0.45 × 10 = 54.5
 *   p25: h = 2.25 → 70 + 0.25 × 30 = 77.5
 *   p50: h = 4.5  → 120 + 0.5 × 30 = 135
 *   p75: h = 6.75 → 180 + 0.75 × 20 = 195
 *   p95: h = 8.55 → 250 + 0.55 × 50 = 277.5
 */
const values = [120, 50, 300, 70, 180, 100, 250, 60, 200, 150];
const tenReadings = values.map((value, i) => at(`2025-05-23T10:${String(i * 5).padStart(2, '0')}:00.000Z`, value));
const window = { from: '2025-05-23T10:00:00.000Z', to: '2025-05-23T10:50:00.000Z' };
const hour = { from: '2025-05-23T10:00:00.000Z', to: '2025-05-23T11:00:00.000Z' };

describe('glucose-statistics', () => {
  describe('.glucoseStatistics', () => {
    it('when given the hand-computed fixture, matches mean, SD, CV, GMI, ranges and sufficiency', () => {
      const stats = glucoseStatistics(tenReadings, window);
      expect(stats.count).toBe(10);
      expect(stats.mean).toBe(148);
      expect(stats.sd).toBeCloseTo(79.849859, 5);
      expect(stats.cv).toBeCloseTo(53.952608, 5);
      expect(stats.gmi).toBeCloseTo(6.85016, 10);
      expect(stats.time_in_ranges).toEqual({ very_low: 10, low: 10, in_range: 50, high: 20, very_high: 10 });
      expect(stats.sd_definition).toBe('population');
      expect(stats.data_sufficiency).toMatchObject({ percent: 100, active_minutes: 50, window_minutes: 50, sufficient: false });
      expect(stats.data_sufficiency.reason).toContain('the consensus needs at least 14');
      expect(GlucoseStatisticsSchema.safeParse(stats).success).toBe(true);
    });

    it('when given the fixture, reports the hour-10 AGP percentiles and empty hours as count 0 with nulls', () => {
      const { hourly } = glucoseStatistics(tenReadings, window);
      expect(hourly).toHaveLength(24);
      const ten = hourly[10];
      expect(ten?.count).toBe(10);
      expect(ten?.minutes).toBe(50);
      expect(ten?.p5).toBeCloseTo(54.5, 10);
      expect(ten?.p25).toBeCloseTo(77.5, 10);
      expect(ten?.p50).toBeCloseTo(135, 10);
      expect(ten?.p75).toBeCloseTo(195, 10);
      expect(ten?.p95).toBeCloseTo(277.5, 10);
      expect(hourly[9]).toEqual({ hour: 9, count: 0, minutes: 0, p5: null, p25: null, p50: null, p75: null, p95: null });
      expect(hourly.map((row) => row.hour)).toEqual([...Array(24).keys()]);
    });

    it('when readings fall outside [from, to), ignores them (from inclusive, to exclusive)', () => {
      const stats = glucoseStatistics(
        // 09:59:59.999 is followed by the 10:00 reading, so it reaches 0 ms into the window; 10:50 is `to`.
        [...tenReadings, at('2025-05-23T09:59:59.999Z', 400), at('2025-05-23T10:50:00.000Z', 400)],
        window,
      );
      expect(stats.count).toBe(10);
      expect(stats.mean).toBe(148);
    });

    it('when there are no readings, gives count 0 and nulls, never NaN', () => {
      const stats = glucoseStatistics([], hour);
      expect(stats).toMatchObject({
        count: 0,
        mean: null,
        sd: null,
        cv: null,
        gmi: null,
        time_in_ranges: { very_low: null, low: null, in_range: null, high: null, very_high: null },
        data_sufficiency: { percent: 0, active_minutes: 0, window_minutes: 60, sufficient: false },
        gri: { value: null, zone: null },
        lbgi: null,
        hbgi: null,
        targets: { time_in_range: { value: null, met: null }, cv: { value: null, met: null } },
        episodes: { hypo_level_1: { count: 0, total_minutes: 0, mean_minutes: null } },
        streams: [],
      });
      expect(JSON.stringify(stats)).not.toContain('NaN');
      expect(stats.hourly.every((row) => row.count === 0 && row.p50 === null)).toBe(true);
    });

    it('when there is one reading, its day has no cadence of its own: it stands for up to the 30-minute gap limit; SD and CV are 0', () => {
      const stats = glucoseStatistics([at('2025-05-23T10:00:00.000Z', 100)], hour);
      expect([stats.sd, stats.cv]).toEqual([0, 0]);
      expect(stats.hourly[10]).toEqual({ hour: 10, count: 1, minutes: 30, p5: 100, p25: 100, p50: 100, p75: 100, p95: 100 });
      expect(stats.data_sufficiency.active_minutes).toBe(30);
      expect(stats.streams).toEqual([{ source: null, device_id: null, serial_number: null, count: 1, cadence_minutes: 5 }]);
    });

    it('when values sit on or between range boundaries, uses <54, [54,70), [70,180], (180,250], >250', () => {
      const boundary = [53.9, 54, 69.9, 70, 180, 180.1, 250, 250.1].map((value, i) =>
        at(`2025-05-23T10:${String(i * 5).padStart(2, '0')}:00.000Z`, value),
      );
      // very_low {53.9}; low {54, 69.9}; in_range {70, 180}; high {180.1, 250}; very_high {250.1} — 5 minutes each of 40
      expect(glucoseStatistics(boundary, { from: window.from, to: '2025-05-23T10:40:00.000Z' }).time_in_ranges).toEqual({
        very_low: 12.5,
        low: 25,
        in_range: 25,
        high: 25,
        very_high: 12.5,
      });
    });

    it('when sentinel readings are present, counts LOW (39) as <54 and HIGH (401) as >250', () => {
      const stats = glucoseStatistics([at('2025-05-23T10:00:00.000Z', 39), at('2025-05-23T10:05:00.000Z', 401)], {
        from: window.from,
        to: '2025-05-23T10:10:00.000Z',
      });
      expect(stats.time_in_ranges).toMatchObject({ very_low: 50, very_high: 50 });
      expect(stats.mean).toBe(220);
    });

    it('when readings come every minute, detects a 1-minute cadence and counts each minute once', () => {
      const everyMinute = Array.from({ length: 60 }, (_, i) => at(`2025-05-23T10:${String(i).padStart(2, '0')}:00.000Z`, 100));
      const stats = glucoseStatistics(everyMinute, hour);
      expect(stats.data_sufficiency).toMatchObject({ percent: 100, active_minutes: 60 });
      expect(stats.streams[0]?.cadence_minutes).toBe(1);
    });

    it('when the window ends inside a reading, clips its time at `to`; one just before `from` covers the start', () => {
      // [10:02, 10:07): 10:00 (100) covers 10:02–10:05, 10:05 (200) covers 10:05–10:07 → 3 min of 100, 2 of 200
      const stats = glucoseStatistics([at('2025-05-23T10:00:00.000Z', 100), at('2025-05-23T10:05:00.000Z', 200)], {
        from: '2025-05-23T10:02:00.000Z',
        to: '2025-05-23T10:07:00.000Z',
      });
      expect(stats.count).toBe(1);
      expect(stats.data_sufficiency).toMatchObject({ percent: 100, active_minutes: 5 });
      expect(stats.mean).toBeCloseTo((3 * 100 + 2 * 200) / 5, 10);
    });

    it('when readings are manual, leaves them out of CGM time', () => {
      const stats = glucoseStatistics([{ ...at('2025-05-23T10:00:00.000Z', 100), reading_type: 'manual' as const }], hour);
      expect(stats).toMatchObject({ count: 0, mean: null, data_sufficiency: { active_minutes: 0 } });
    });

    it('when given a time zone, buckets by local clock hour, including half-hour offsets', () => {
      const readings = [
        at('2024-01-15T10:00:00.000Z', 100), // Kolkata +05:30 → 15:30 → hour 15; New York −05:00 → 05:00
        at('2024-01-15T10:29:00.000Z', 110), // 15:59 → 15; 05:29 → 5
        at('2024-01-15T10:30:00.000Z', 120), // 16:00 → 16; 05:30 → 5
        at('2024-01-15T18:30:00.000Z', 130), // 00:00 next day → 0; 13:30 → 13
      ];
      const range = { from: '2024-01-15T00:00:00.000Z', to: '2024-01-16T00:00:00.000Z' };
      const counts = (timeZone: string) =>
        glucoseStatistics(readings, { ...range, timeZone }).hourly.flatMap((row) => (row.count > 0 ? [[row.hour, row.count]] : []));
      expect(counts('Asia/Kolkata')).toEqual([
        [0, 1],
        [15, 2],
        [16, 1],
      ]);
      expect(counts('America/New_York')).toEqual([
        [5, 3],
        [13, 1],
      ]);
      expect(counts('UTC')).toEqual([
        [10, 3],
        [18, 1],
      ]);
    });

    it('when a DST change falls inside a UTC hour, resolves each reading on its own side of it', () => {
      // America/St_Johns springs forward at 02:00 NST (−03:30) = 05:30 UTC to 03:00 NDT (−02:30).
      const readings = [at('2024-03-10T05:15:00.000Z', 100), at('2024-03-10T05:45:00.000Z', 200)];
      const { hourly } = glucoseStatistics(readings, {
        from: '2024-03-10T00:00:00.000Z',
        to: '2024-03-11T00:00:00.000Z',
        timeZone: 'America/St_Johns',
      });
      // Two readings 30 min apart: cadence clamps to 15 min, so each stands for up to 30 min.
      // 05:15 (100) covers 05:15–05:45 UTC = 01:45–02:00 NST (hour 1) and 03:00–03:15 NDT (hour 3);
      // 05:45 (200) covers 05:45–06:15 UTC = 03:15–03:45 NDT (hour 3).
      expect(hourly[1]).toMatchObject({ count: 1, minutes: 15, p50: 100 }); // 01:45 NST
      // Hour 3 holds 100 for 15 min and 200 for 30 min, one piece each: knots at 7.5 (100) and 30 (200) min,
      // span 22.5; p5 → 7.5 + 1.125 → 100 + 1.125/22.5 × 100 = 105; p50 → 150; p95 → 195.
      expect(hourly[3]).toMatchObject({ count: 1, minutes: 45, p5: 105, p50: 150, p95: 195 }); // 03:15 NDT, not 02:15
      expect(hourly[2]).toMatchObject({ count: 0, minutes: 0 });
    });

    it('when the window or zone is invalid, throws a ModelError', () => {
      expect(() => glucoseStatistics([], { from: window.to, to: window.from })).toThrow(
        expect.objectContaining({ code: 'models.invalidStatisticsWindow' }),
      );
      expect(() => glucoseStatistics([], { from: '2025-05-23', to: window.to })).toThrow(ModelError);
      expect(() => glucoseStatistics([], { ...window, timeZone: 'Mars/Olympus' })).toThrow(
        expect.objectContaining({ code: 'models.invalidTimeZone' }),
      );
    });
  });

  describe('.percentileOfSorted', () => {
    it('when computing R type 7, interpolates between closest ranks', () => {
      // [1,2,3,4]: p25 → h = 0.75 → 1.75; p50 → h = 1.5 → 2.5; p100 → 4; p0 → 1
      expect(percentileOfSorted([1, 2, 3, 4], 25)).toBe(1.75);
      expect(percentileOfSorted([1, 2, 3, 4], 50)).toBe(2.5);
      expect(percentileOfSorted([1, 2, 3, 4], 100)).toBe(4);
      expect(percentileOfSorted([1, 2, 3, 4], 0)).toBe(1);
      expect(percentileOfSorted([], 50)).toBeNull();
    });
  });

  describe('.instantToEpochMs', () => {
    it.each([
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:34:56.789Z',
      '2024-03-01T00:00:00.000Z',
      '2100-02-28T23:59:59.999Z',
      '1900-03-01T00:00:00.001Z',
    ])('when %s, agrees with Date.parse', (instant) => {
      expect(instantToEpochMs(instant)).toBe(Date.parse(instant));
    });

    it('when the string is not the fixed-width form, falls back to Date.parse', () => {
      expect(instantToEpochMs('2025-05-23T13:00:00Z')).toBe(Date.parse('2025-05-23T13:00:00Z'));
      expect(instantToEpochMs('garbage')).toBeNaN();
    });
  });
});
