import { GlucoseStatisticsSchema, type GlucoseStatistics } from './glucose-statistics.schema.ts';
import { glucoseStatistics } from './glucose-statistics.ts';

/*
 * Hand-checked fixtures, one per CGM cadence (1, 5, 15 min), each with a gap
 * and LOW (39) / HIGH (401) sentinel readings. Every figure is by time: a
 * reading stands for the time until the next one, at most 2 × its stream's
 * cadence (the lower median of its intervals ending that day, those of at
 * most 30 min — longer ones are gaps — clamped to 1..15 min).
 * Kovatchev risk r(v) = 10 × (1.509 × ((ln v)^1.084 − 5.381))², low when
 * v < 112.5, high above: r(39) = 38.20218, r(45) = 28.66458, r(50) = 22.50045,
 * r(60) = 13.57060, r(65) = 10.35144, r(100) = 0.48205 (low);
 * r(120) = 0.14413, r(150) = 2.88565, r(190) = 9.61920, r(200) = 11.60475,
 * r(300) = 33.95199, r(401) = 57.27309 (high).
 */

const DEXCOM = { source: 'dexcom', device_info: { device_id: 'g7', serial_number: 'SN-G7' } };
const LIBRE = { source: 'libre', device_info: { device_id: 'libre', serial_number: 'SN-L' } };

function cgm(device: typeof DEXCOM, timestamp: string, glucose_value: number) {
  return { ...device, timestamp, glucose_value };
}
const day = (hhmm: string) => `2026-02-10T${hhmm}:00.000Z`;
/** One device's readings from `hh:mm value` pairs, e.g. `'00:10 39'`. */
const series = (device: typeof DEXCOM, ...pairs: string[]) =>
  pairs.map((pair) => {
    const [hhmm, value] = pair.split(' ') as [string, string];
    return cgm(device, day(hhmm), Number(value));
  });
const minute = (m: number) => day(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

/** The hand-computed headline figures, each to 4 decimals: mean, sd, cv, gmi and the five ranges' percent. */
function expectFigures(stats: GlucoseStatistics, expected: { mean: number; sd: number; cv: number; gmi: number; ranges: readonly number[] }) {
  expect(GlucoseStatisticsSchema.safeParse(stats).success).toBe(true);
  const { very_low, low, in_range, high, very_high } = stats.time_in_ranges;
  const actual = [stats.mean, stats.sd, stats.cv, stats.gmi, very_low, low, in_range, high, very_high];
  [expected.mean, expected.sd, expected.cv, expected.gmi, ...expected.ranges].forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 4));
}

describe('glucose-statistics by time', () => {
  it('when given 5-minute Dexcom data with a 25-minute gap and LOW/HIGH, answers the hand-computed figures', () => {
    /*
     * Window [00:00, 01:00). Intervals 5 5 5 5 25 5 5 → lower median 5 → cap 10 min.
     * 00:00 100 → 5, 00:05 100 → 5, 00:10 LOW 39 → 5, 00:15 50 → 5, 00:20 60 → min(25, 10) = 10,
     * (missing 00:30–00:45), 00:45 HIGH 401 → 5, 00:50 200 → 5, 00:55 200 → 5 (clipped at `to`).
     * active 45 of 60 min = 75 %.
     * mean = (100·10 + 39·5 + 50·5 + 60·10 + 401·5 + 200·10) / 45 = 6050 / 45 = 134.4444
     * Σ v²·t = 100000 + 7605 + 12500 + 36000 + 804005 + 400000 = 1360110 → E[v²] = 30224.667
     * sd = √(30224.667 − 134.4444²) = 110.2241; cv = 81.9849; gmi = 3.31 + 0.02392 × 134.4444 = 6.52591
     * ranges (min of 45): <54 {39, 50} 10 → 22.222; 54–69 {60} 10 → 22.222; 70–180 {100} 10 → 22.222;
     *   181–250 {200} 10 → 22.222; >250 {401} 5 → 11.111
     * GRI: hypo 22.222 + 0.8 × 22.222 = 40; hyper 11.111 + 0.5 × 22.222 = 22.222; 3 × 40 + 1.6 × 22.222 = 155.6 → 100, zone E
     * LBGI = (0.48205·10 + 38.20218·5 + 22.50045·5 + 13.57060·10) / 45 = 9.86755
     * HBGI = (57.27309·5 + 11.60475·10) / 45 = 8.94251
     * episodes: <70 runs 00:10–00:30 (20 min, then missing) → 1 episode of 20 min;
     *   <54 00:10–00:20 (10 min) → none; >180 00:45–01:00 (15 min) → 1 of 15; >250 5 min → none.
     * AGP hour 0, knots (min) at piece centres: 39 @2.5, 50 @7.5, 60 @15, 100 @22.5..27.5, 200 @32.5..37.5, 401 @42.5;
     *   span 2.5..42.5: p5 → 4.5 → 39 + 2/5 × 11 = 43.4; p25 → 12.5 → 50 + 5/7.5 × 10 = 56.667;
     *   p50 → 22.5 → 100; p75 → 32.5 → 200; p95 → 40.5 → 200 + 3/5 × 201 = 320.6
     */
    const readings = series(DEXCOM, '00:00 100', '00:05 100', '00:10 39', '00:15 50', '00:20 60', '00:45 401', '00:50 200', '00:55 200');
    const stats = glucoseStatistics(readings, { from: day('00:00'), to: day('01:00') });
    expect(stats.count).toBe(8);
    expectFigures(stats, { mean: 134.4444, sd: 110.2241, cv: 81.9849, gmi: 6.52591, ranges: [22.2222, 22.2222, 22.2222, 22.2222, 11.1111] });
    expect(stats.data_sufficiency).toMatchObject({ percent: 75, active_minutes: 45, window_minutes: 60, sufficient: false });
    expect(stats.gri).toMatchObject({ value: 100, zone: 'E' });
    expect(stats.gri.hypo_component).toBeCloseTo(40, 9);
    expect(stats.gri.hyper_component).toBeCloseTo(22.2222, 4);
    expect(stats.lbgi).toBeCloseTo(9.86755, 4);
    expect(stats.hbgi).toBeCloseTo(8.94251, 4);
    expect(stats.episodes).toEqual({
      hypo_level_1: { threshold: '< 70', count: 1, total_minutes: 20, mean_minutes: 20 },
      hypo_level_2: { threshold: '< 54', count: 0, total_minutes: 0, mean_minutes: null },
      hyper_level_1: { threshold: '> 180', count: 1, total_minutes: 15, mean_minutes: 15 },
      hyper_level_2: { threshold: '> 250', count: 0, total_minutes: 0, mean_minutes: null },
    });
    expect(stats.streams).toEqual([{ source: 'dexcom', device_id: 'g7', serial_number: 'SN-G7', count: 8, cadence_minutes: 5 }]);
    const zero = stats.hourly[0];
    expect(zero).toMatchObject({ count: 8, minutes: 45, p50: 100, p75: 200 });
    expect(zero?.p5).toBeCloseTo(43.4, 9);
    expect(zero?.p25).toBeCloseTo(56.6667, 4);
    expect(zero?.p95).toBeCloseTo(320.6, 9);
    // TIR 22.2 % (not > 70), TBR 44.4 % (not < 4), <54 22.2 % (not < 1), TAR 33.3 % (not < 25), >250 11.1 % (not < 5), CV 82 % (not ≤ 36)
    expect(Object.values(stats.targets).map((target) => target.met)).toEqual([false, false, false, false, false, false]);
    expect(stats.targets.time_below_range.value).toBeCloseTo(44.4444, 4);
    expect(stats.targets.time_above_range).toMatchObject({ figure: 'TAR > 180 mg/dL', target: '< 25 %' });
    expect(stats.targets.time_above_range.value).toBeCloseTo(33.3333, 4);
  });

  it('when given 1-minute Libre 3 data with a 5-minute gap and LOW/HIGH, answers the hand-computed figures', () => {
    /*
     * Window [00:00, 00:40). 65 at minutes 0..15, LOW 39 at 16, (gap) 190 at 21..36, HIGH 401 at 37.
     * Intervals: 16 × 1, 5, 16 × 1 → lower median 1 → cap 2 min.
     * 65: 16 × 1 min; 39: min(5, 2) = 2; 190: 16 × 1; 401: min(3 to `to`, 2) = 2. Active 36 of 40 = 90 %.
     * mean = (65·16 + 39·2 + 190·16 + 401·2) / 36 = 4960 / 36 = 137.7778; sd = 89.2042; cv = 64.7450; gmi = 6.60564
     * ranges (of 36): <54 2 → 5.5556; 54–69 16 → 44.4444; 70–180 0; 181–250 16 → 44.4444; >250 2 → 5.5556
     * Counted by readings instead (34), the first would be 1/34 = 2.94 %: the time weighting is what differs.
     * GRI: hypo 5.5556 + 0.8 × 44.4444 = 41.1111; hyper 5.5556 + 0.5 × 44.4444 = 27.7778; 3 × 41.1111 + 1.6 × 27.7778 = 167.8 → 100
     * LBGI = (10.35144·16 + 38.20218·2) / 36 = 6.72298; HBGI = (9.61920·16 + 57.27309·2) / 36 = 7.45704
     * episodes: <70 00:00–00:18 → 1 of 18 min; <54 2 min → none; >180 00:21–00:39 → 1 of 18; >250 2 min → none.
     * AGP hour 0: 39 (2 min, 1 piece) @1; 65 (16, 16) @2.5..17.5; 190 (16, 16) @18.5..33.5; 401 (2, 1) @35;
     *   span 1..35: p5 → 2.7 → 65; p50 → 18 → 65 + 0.5/1 × 125 = 127.5; p95 → 33.3 → 190
     */
    const readings = [
      ...Array.from({ length: 16 }, (_, m) => cgm(LIBRE, minute(m), 65)),
      cgm(LIBRE, minute(16), 39),
      ...Array.from({ length: 16 }, (_, m) => cgm(LIBRE, minute(21 + m), 190)),
      cgm(LIBRE, minute(37), 401),
    ];
    const stats = glucoseStatistics(readings, { from: minute(0), to: minute(40) });
    expect(stats.count).toBe(34);
    expectFigures(stats, { mean: 137.7778, sd: 89.2042, cv: 64.745, gmi: 6.60564, ranges: [5.5556, 44.4444, 0, 44.4444, 5.5556] });
    expect(stats.data_sufficiency).toMatchObject({ percent: 90, active_minutes: 36, window_minutes: 40 });
    expect(stats.gri.hypo_component).toBeCloseTo(41.1111, 4);
    expect(stats.gri.hyper_component).toBeCloseTo(27.7778, 4);
    expect(stats.gri.value).toBe(100);
    expect(stats.lbgi).toBeCloseTo(6.72298, 4);
    expect(stats.hbgi).toBeCloseTo(7.45704, 4);
    expect(stats.episodes.hypo_level_1).toEqual({ threshold: '< 70', count: 1, total_minutes: 18, mean_minutes: 18 });
    expect(stats.episodes.hypo_level_2.count).toBe(0);
    expect(stats.episodes.hyper_level_1).toEqual({ threshold: '> 180', count: 1, total_minutes: 18, mean_minutes: 18 });
    expect(stats.episodes.hyper_level_2.count).toBe(0);
    expect(stats.streams).toEqual([{ source: 'libre', device_id: 'libre', serial_number: 'SN-L', count: 34, cadence_minutes: 1 }]);
    expect(stats.hourly[0]).toMatchObject({ count: 34, minutes: 36, p5: 65, p50: 127.5, p95: 190 });
  });

  it('when given 15-minute Libre data with a 75-minute gap and LOW/HIGH, answers the hand-computed figures', () => {
    /*
     * Window [00:00, 03:00). Intervals 15 15 15 (75 is a gap) 15 → lower median 15 → cap 30 min.
     * 00:00 120 → 15; 00:15 LOW 39 → 15; 00:30 45 → 15; 00:45 150 → min(75, 30) = 30 (to 01:15);
     * (missing 01:15–02:00); 02:00 HIGH 401 → 15; 02:15 300 → min(45, 30) = 30 (to 02:45). Active 120 of 180 = 66.667 %.
     * mean = (1800 + 585 + 675 + 4500 + 6015 + 9000) / 120 = 188.125; sd = 122.7899; cv = 65.2704; gmi = 7.80995
     * ranges (of 120): <54 {39, 45} 30 → 25; 54–69 0; 70–180 {120, 150} 45 → 37.5; 181–250 0; >250 {401, 300} 45 → 37.5
     * sufficiency: 66.667 % < 70 % and 0.125 days < 14 → not sufficient, both reasons given.
     * LBGI = (38.20218·15 + 28.66458·15) / 120 = 8.35834; HBGI = (0.14413·15 + 2.88565·30 + 57.27309·15 + 33.95199·30) / 120 = 16.38656
     * episodes: <70 and <54: 00:15–00:45 → 1 of 30 min each; >180 and >250: 02:00–02:45 → 1 of 45 each.
     * hours: 0 holds 120, 39, 45, 150 for 15 min each (count 4) → R7 of [39 45 120 150]: p50 82.5;
     *   1 holds 150 for 01:00–01:15 (count 0, 15 min); 2 holds 401 15 min @37.5, 300 30 min @15 (count 2, 45 min):
     *   p50 → 15 + 11.25 → 300 + 11.25/22.5 × 101 = 350.5
     */
    const readings = series(LIBRE, '00:00 120', '00:15 39', '00:30 45', '00:45 150', '02:00 401', '02:15 300');
    const stats = glucoseStatistics(readings, { from: day('00:00'), to: day('03:00') });
    expectFigures(stats, { mean: 188.125, sd: 122.7899, cv: 65.2704, gmi: 7.80995, ranges: [25, 0, 37.5, 0, 37.5] });
    expect(stats.data_sufficiency.percent).toBeCloseTo(66.6667, 4);
    expect(stats.data_sufficiency.sufficient).toBe(false);
    expect(stats.data_sufficiency.reason).toBe(
      'the window spans 0.13 days; the consensus needs at least 14; CGM time is active 66.67 % of the window; the consensus needs at least 70 %',
    );
    expect(stats.lbgi).toBeCloseTo(8.35834, 4);
    expect(stats.hbgi).toBeCloseTo(16.38656, 4);
    expect(stats.episodes.hypo_level_1).toMatchObject({ count: 1, total_minutes: 30 });
    expect(stats.episodes.hypo_level_2).toMatchObject({ count: 1, total_minutes: 30 });
    expect(stats.episodes.hyper_level_1).toMatchObject({ count: 1, total_minutes: 45 });
    expect(stats.episodes.hyper_level_2).toMatchObject({ count: 1, total_minutes: 45, mean_minutes: 45 });
    expect(stats.streams[0]?.cadence_minutes).toBe(15);
    expect(stats.hourly[0]).toMatchObject({ count: 4, minutes: 60, p50: 82.5 });
    expect(stats.hourly[1]).toMatchObject({ count: 0, minutes: 15, p5: 150, p95: 150 });
    expect(stats.hourly[2]).toMatchObject({ count: 2, minutes: 45 });
    expect(stats.hourly[2]?.p50).toBeCloseTo(350.5, 9);
  });

  it('when a user has a Libre (15 min) and a Dexcom (5 min) stream, detects each cadence and counts time once', () => {
    /*
     * Window [00:00, 01:30). Libre 100 at 00:00 … 01:00 (cadence 15, cap 30); Dexcom 200 at 01:07 … 01:22 (cadence 5, cap 10).
     * Libre 00:00–00:45 → 15 each (60); 01:00 → until the Dexcom's 01:07 = 7. Dexcom 01:07, 01:12, 01:17 → 5 each;
     * 01:22 → min(8 to `to`, 10) = 8. Active 60 + 7 + 15 + 8 = 90 = 100 %.
     * mean = (100·67 + 200·23) / 90 = 125.5556 (by readings it would be 1300 / 9 = 144.44).
     * With one cadence for both (5 min), the Libre's readings would stand for 10 min each and leave 20 minutes missing.
     */
    const readings = [
      ...['00:00', '00:15', '00:30', '00:45', '01:00'].map((hhmm) => cgm(LIBRE, day(hhmm), 100)),
      ...['01:07', '01:12', '01:17', '01:22'].map((hhmm) => cgm(DEXCOM, day(hhmm), 200)),
    ];
    const stats = glucoseStatistics(readings, { from: day('00:00'), to: day('01:30') });
    expect(stats.mean).toBeCloseTo(125.5556, 4);
    expect(stats.data_sufficiency).toMatchObject({ percent: 100, active_minutes: 90 });
    expect(stats.streams).toEqual([
      { source: 'libre', device_id: 'libre', serial_number: 'SN-L', count: 5, cadence_minutes: 15 },
      { source: 'dexcom', device_id: 'g7', serial_number: 'SN-G7', count: 4, cadence_minutes: 5 },
    ]);
  });

  it('when readings arrive out of order, answers as if sorted', () => {
    const readings = ['00:00', '00:05', '00:10', '00:30', '00:35'].map((hhmm, i) => cgm(DEXCOM, day(hhmm), 80 + 20 * i));
    const window = { from: day('00:00'), to: day('01:00') };
    expect(glucoseStatistics([...readings].reverse(), window)).toEqual(glucoseStatistics(readings, window));
  });
});
