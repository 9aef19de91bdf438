import { parseBloodPressure, parseO2, parsePainLevel, parseSleep } from './health-notation.parser.ts';
import { parseMedicationName } from './medication-name.schema.ts';

const at = { path: '0523/1300' };

describe('health-notation.parser', () => {
  describe('.parsePainLevel', () => {
    it.each([
      ['6-7-8', [6, 7, 8], 8],
      ['5', [5], 5],
      ['7/8', [7, 8], 8],
      ['0', [0], 0],
      ['10', [10], 10],
      ['8-6', [8, 6], 8],
      ['3-10/4', [3, 10, 4], 10],
      [' 6 - 7 ', [6, 7], 7],
      [4, [4], 4],
    ])('when %p, gives levels %p and max %d', (value, levels, max) => {
      expect(parsePainLevel(value)).toEqual({ ok: true, value: { levels, max } });
    });

    it('when a level does not parse, reports path, field and value in the documented format', () => {
      expect(parsePainLevel('6-x-8', { path: '0523/1300', field: 'pain.back' })).toEqual({
        ok: false,
        error: {
          path: '0523/1300',
          field: 'pain.back',
          value: '6-x-8',
          message: '0523/1300: pain.back "6-x-8" is not a pain level',
          expected: 'integers 0..10 joined by "-" or "/", e.g. "6-7-8"',
        },
      });
    });

    it.each(['11', '6-11', '', '-', '6-', '-6', '6--7', '6,7', '6.5', '-1', '6 7', '100', 'severe'])(
      'when %p, fails naming the value',
      (value) => {
        const result = parsePainLevel(value, { ...at, field: 'pain.knee' });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.message).toBe(`0523/1300: pain.knee ${JSON.stringify(value)} is not a pain level`);
      },
    );

    it('when given no location, uses path only and the default field', () => {
      const result = parsePainLevel(null);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toBe('pain null is not a pain level');
    });
  });

  describe('.parseBloodPressure', () => {
    it.each([
      ['129/59', 129, 59],
      ['90/60', 90, 60],
      [' 140 / 90 ', 140, 90],
      ['300/200', 300, 200],
      ['50/20', 50, 20],
    ])('when %p, gives systolic %d and diastolic %d', (value, systolic, diastolic) => {
      expect(parseBloodPressure(value)).toEqual({ ok: true, value: { systolic, diastolic } });
    });

    it.each(['129-59', '129', '129/', '/59', '12.9/59', '301/80', '120/201', '49/30', '120/19', '60/80', '80/80', 'abc'])(
      'when %p, fails with path and value',
      (value) => {
        const result = parseBloodPressure(value, at);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.message).toBe(`0523/1300: bpr ${JSON.stringify(value)} is not a blood pressure`);
          expect(result.error.field).toBe('bpr');
        }
      },
    );

    it('when given a number, fails (a blood pressure is two numbers)', () => {
      expect(parseBloodPressure(129).ok).toBe(false);
    });
  });

  describe('.parseSleep', () => {
    it.each([
      ['7:39', 459],
      ['07:39', 459],
      ['0:00', 0],
      ['10:05', 605],
      ['23:59', 1439],
      ['24:00', 1440],
    ])('when %p, gives %d minutes', (value, minutes) => {
      expect(parseSleep(value)).toEqual({ ok: true, value: minutes });
    });

    it.each(['7:60', '7:5', '7', '7h39', '739', '24:01', '25:00', '100:00', ':30', '7:39:00', ''])(
      'when %p, fails with path and value',
      (value) => {
        const result = parseSleep(value, at);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.message).toBe(`0523/1300: sleep ${JSON.stringify(value)} is not a sleep duration`);
      },
    );
  });

  describe('.parseO2', () => {
    it.each([
      ['88', 88],
      ['97%', 97],
      ['100', 100],
      ['50', 50],
      [' 95 ', 95],
      [92, 92],
    ])('when %p, gives %d percent', (value, percent) => {
      expect(parseO2(value)).toEqual({ ok: true, value: percent });
    });

    it.each(['49', '101', '88.5', 'eighty', '', '-90', '9 7', 88.5])('when %p, fails with path and value', (value) => {
      const result = parseO2(value, at);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toBe(`0523/1300: o2 ${JSON.stringify(value)} is not an O2 percent`);
    });
  });

  describe('.parseMedicationName', () => {
    it('when the name has no "#", accepts it as written', () => {
      expect(parseMedicationName('Oxycodone IR')).toEqual({ ok: true, value: 'Oxycodone IR' });
    });

    it.each(['oxy#codone', '', 'x'.repeat(201)])('when %p, fails', (value) => {
      const result = parseMedicationName(value, at);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toBe(`0523/1300: medications ${JSON.stringify(value)} is not a medication name`);
    });
  });
});
