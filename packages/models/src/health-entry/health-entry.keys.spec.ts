import { ModelError } from '../common/model-error.ts';
import { isMedicationIndexTimestamp } from './health-entry-sort-key.schema.ts';
import { healthEntriesOnDate, healthEntryKey, medicationIndexItemKey, medicationIndexTimestamp } from './health-entry.keys.ts';

describe('health-entry.keys', () => {
  describe('.healthEntryKey', () => {
    it('when given a date and HHMM, returns the entry key', () => {
      expect(healthEntryKey('2025-05-23', '1300')).toEqual({ date: '2025-05-23', timestamp: '1300' });
    });

    it.each([
      ['0523', '1300'],
      ['2025-05-23', '13:00'],
      ['2025-05-23', 'med#x#1300'],
      ['2025-02-30', '1300'],
    ])('when given %s/%s, throws models.invalidKey', (date, time) => {
      expect(() => healthEntryKey(date, time)).toThrow(expect.objectContaining({ code: 'models.invalidKey' }));
    });
  });

  describe('.medicationIndexItemKey', () => {
    it('when given a medication, keys the index item med#<medication>#<HHMM>', () => {
      expect(medicationIndexItemKey('2025-05-23', 'journavx', '1300')).toEqual({
        date: '2025-05-23',
        timestamp: 'med#journavx#1300',
      });
      expect(medicationIndexTimestamp('vitamin D3', '0705')).toBe('med#vitamin D3#0705');
    });

    it('when the medication holds "#", throws', () => {
      expect(() => medicationIndexTimestamp('a#b', '1300')).toThrow(ModelError);
      expect(() => medicationIndexTimestamp('', '1300')).toThrow(ModelError);
    });

    it('when checking sort keys, recognises only well-formed index timestamps', () => {
      expect(isMedicationIndexTimestamp('med#journavx#1300')).toBe(true);
      expect(isMedicationIndexTimestamp('1300')).toBe(false);
      expect(isMedicationIndexTimestamp('med#journavx#2400')).toBe(false);
      expect(isMedicationIndexTimestamp('med##1300')).toBe(false);
    });
  });

  describe('.healthEntriesOnDate', () => {
    it('when no range is given, bounds the sort key to 0000..2359 so index items are excluded', () => {
      expect(healthEntriesOnDate('2025-05-23')).toEqual({
        keyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        expressionAttributeNames: { '#pk': 'date', '#sk': 'timestamp' },
        expressionAttributeValues: { ':pk': '2025-05-23', ':sk': '0000', ':sk_hi': '2359' },
      });
    });

    it('when a range is given, uses it; bad or reversed bounds throw', () => {
      expect(healthEntriesOnDate('2025-05-23', { from: '1200', to: '1800' }).expressionAttributeValues).toEqual({
        ':pk': '2025-05-23',
        ':sk': '1200',
        ':sk_hi': '1800',
      });
      expect(() => healthEntriesOnDate('2025-05-23', { from: '1800', to: '1200' })).toThrow(ModelError);
      expect(() => healthEntriesOnDate('2025-05-23', { to: 'med#zzz#9999' })).toThrow(ModelError);
    });
  });
});
