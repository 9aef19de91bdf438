import { mmolToMgdl, parseSensorGlucose, trendFromDexcom, trendFromRate } from './glucose-units.ts';

describe('glucose-units', () => {
  describe('.mmolToMgdl', () => {
    it.each([
      [5.5, 99], // 99.085745
      [10, 180], // 180.1559
      [3.9, 70], // 70.260801
      [2.2, 40], // 39.634298
    ])('when %d mmol/L, gives %d mg/dL', (mmol, mgdl) => {
      expect(mmolToMgdl(mmol)).toBe(mgdl);
    });
  });

  describe('.trendFromDexcom', () => {
    it.each([
      ['DoubleUp', 'rising_rapidly'],
      ['doubleUp', 'rising_rapidly'],
      ['SingleUp', 'rising'],
      ['FortyFiveUp', 'rising'],
      ['Flat', 'steady'],
      ['FLAT', 'steady'],
      ['FortyFiveDown', 'falling'],
      ['SingleDown', 'falling'],
      ['DoubleDown', 'falling_rapidly'],
      ['double_down', 'falling_rapidly'],
      ['Forty Five Up', 'rising'],
      ['NotComputable', 'unknown'],
      ['NOT COMPUTABLE', 'unknown'],
      ['RateOutOfRange', 'unknown'],
      ['None', 'unknown'],
      ['', 'unknown'],
      ['sideways', 'unknown'],
    ])('when the word is %p, gives %s', (word, trend) => {
      expect(trendFromDexcom(word)).toBe(trend);
    });

    it('when the word is missing, gives unknown', () => {
      expect(trendFromDexcom(undefined)).toBe('unknown');
      expect(trendFromDexcom(null)).toBe('unknown');
    });
  });

  describe('.trendFromRate', () => {
    it.each([
      [3, 'rising_rapidly'],
      [2.01, 'rising_rapidly'],
      [2, 'rising'],
      [1, 'rising'],
      [0.99, 'steady'],
      [0, 'steady'],
      [-0.99, 'steady'],
      [-1, 'falling'],
      [-2, 'falling'],
      [-2.01, 'falling_rapidly'],
    ])('when the rate is %d mg/dL/min, gives %s', (rate, trend) => {
      expect(trendFromRate(rate)).toBe(trend);
    });

    it.each([[undefined], [null], [Number.NaN], [Number.POSITIVE_INFINITY]])('when the rate is %p, gives unknown', (rate) => {
      expect(trendFromRate(rate)).toBe('unknown');
    });
  });

  describe('.parseSensorGlucose', () => {
    it('when Low or High in any case, gives the sentinel and flag whatever the unit', () => {
      expect(parseSensorGlucose('Low')).toEqual({ ok: true, value: { glucose_value: 39, out_of_range: 'low' } });
      expect(parseSensorGlucose('HIGH', 'mmol/L')).toEqual({ ok: true, value: { glucose_value: 401, out_of_range: 'high' } });
    });

    it('when numeric, converts mmol/L and keeps mg/dL', () => {
      expect(parseSensorGlucose('123')).toEqual({ ok: true, value: { glucose_value: 123 } });
      expect(parseSensorGlucose(' 6.8 ', 'mmol/L')).toEqual({ ok: true, value: { glucose_value: 123 } }); // 122.506 → 123
      expect(parseSensorGlucose(98)).toEqual({ ok: true, value: { glucose_value: 98 } });
    });

    it('when not a number nor Low/High, reports path, field and value', () => {
      expect(parseSensorGlucose('12a', 'mg/dL', { path: 'row 12', field: 'Glucose Value (mg/dL)' })).toEqual({
        ok: false,
        error: {
          path: 'row 12',
          field: 'Glucose Value (mg/dL)',
          value: '12a',
          message: 'row 12: Glucose Value (mg/dL) "12a" is not a glucose value',
          expected: 'a number in mg/dL, "Low" or "High"',
        },
      });
      expect(parseSensorGlucose('').ok).toBe(false);
      expect(parseSensorGlucose('-5').ok).toBe(false);
    });
  });
});
