import { glucoseRisk, glycemiaRiskIndex, meetsTarget } from './glucose-risk.ts';
import { percentileOfSorted, timeWeightedPercentiles } from './time-weighted-percentile.ts';

describe('glucose-risk', () => {
  describe('.glucoseRisk', () => {
    it('when glucose is near 112.5 mg/dL, both risks are near 0; low below it, high above it', () => {
      // f(112.5) = 1.509 × ((ln 112.5)^1.084 − 5.381) ≈ 0
      const mid = glucoseRisk(112.5);
      expect(mid.low + mid.high).toBeLessThan(0.001);
      // f(40) = 1.509 × (3.68888^1.084 − 5.381) = 1.509 × (4.11636 − 5.381) = −1.90834 → r = 10 f² = 36.4175
      expect(glucoseRisk(40).low).toBeCloseTo(36.4175, 3);
      expect(glucoseRisk(40).high).toBe(0);
      // f(400) = 1.509 × (5.99146^1.084 − 5.381) = 1.509 × (6.96379 − 5.381) = 2.38843 → r = 57.0461
      expect(glucoseRisk(400).high).toBeCloseTo(57.0461, 3);
    });
  });

  describe('.glycemiaRiskIndex', () => {
    it('when given percent of time per range, weighs them 3.0 / 2.4 / 1.6 / 0.8 and caps at 100', () => {
      // VLow 1, Low 3, High 20, VHigh 5: hypo 1 + 2.4 = 3.4; hyper 5 + 10 = 15; GRI = 10.2 + 24 = 34.2 → B
      const gri = glycemiaRiskIndex({ very_low: 1, low: 3, high: 20, very_high: 5 });
      expect(gri.hypo_component).toBeCloseTo(3.4, 12);
      expect(gri.hyper_component).toBeCloseTo(15, 12);
      expect(gri.value).toBeCloseTo(34.2, 12);
      expect(gri.zone).toBe('B');
      expect(glycemiaRiskIndex({ very_low: 40, low: 0, high: 0, very_high: 0 })).toMatchObject({ value: 100, zone: 'E' });
    });
  });

  describe('.meetsTarget', () => {
    it('when a value sits on a limit, applies the target strictly or not as the consensus words it', () => {
      expect(meetsTarget('time_in_range', 70)).toBe(false); // > 70 %
      expect(meetsTarget('time_below_range', 4)).toBe(false); // < 4 %
      expect(meetsTarget('cv', 36)).toBe(true); // ≤ 36 %
      expect(meetsTarget('cv', null)).toBeNull();
    });
  });

  describe('.timeWeightedPercentiles', () => {
    it('when every piece weighs the same, equals R type 7 over the pieces, ties included', () => {
      const sample = [1, 1, 2, 5, 5, 5, 9];
      const held = [
        { value: 1, weight: 10, pieces: 2 },
        { value: 2, weight: 5, pieces: 1 },
        { value: 5, weight: 15, pieces: 3 },
        { value: 9, weight: 5, pieces: 1 },
      ];
      const percents = [0, 5, 25, 50, 75, 95, 100];
      const expected = percents.map((p) => percentileOfSorted(sample, p) as number);
      timeWeightedPercentiles(held, percents).forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 12));
    });

    it('when a value is held longer, moves the percentiles towards it', () => {
      // 100 for 30 min (one piece) and 200 for 10: knots 15 and 35 → p50 at 25 → 150; equal weights would give 150 too,
      // but p25 at 20 → 125 (R7 of [100, 200] gives 125) and, held 3 pieces of 10, 100's knots are 5 and 25 → p25 at 12.5 → 100.
      expect(timeWeightedPercentiles([{ value: 100, weight: 30, pieces: 1 }, { value: 200, weight: 10, pieces: 1 }], [25, 50])).toEqual([125, 150]);
      expect(timeWeightedPercentiles([{ value: 100, weight: 30, pieces: 3 }, { value: 200, weight: 10, pieces: 1 }], [25, 50, 100])).toEqual([
        100, 100, 200,
      ]);
      expect(timeWeightedPercentiles([], [50])).toEqual([null]);
    });
  });
});
