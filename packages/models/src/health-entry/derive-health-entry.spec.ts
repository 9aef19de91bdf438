import { ModelError } from '../common/model-error.ts';
import { omit } from '../common/omit.ts';
import { HealthEntrySchema } from './health-entry.schema.ts';
import { deriveHealthEntry, toHealthEntry } from './derive-health-entry.ts';

const raw = {
  date: '2025-05-23',
  timestamp: '1300',
  medications: { oxycodone: '5mg', journavx: '100mg' },
  pain: { quads: '6-7-8', back: '5', glutes: '7/9' },
  activities: { standing: 5, walking: 16 },
  o2: '88',
  bpr: '129/59',
  note: 'Pain is focused on the lower back',
  sleep: '7:39',
};

describe('derive-health-entry', () => {
  describe('.deriveHealthEntry', () => {
    it('when every value parses, fills all derived attributes and keeps the raw ones', () => {
      const result = deriveHealthEntry(raw, '2025-05-23/1300');
      expect(result).toEqual({
        ok: true,
        value: {
          ...raw,
          medication_taken: 'oxycodone',
          max_pain_level: 9,
          systolic: 129,
          diastolic: 59,
          sleep_minutes: 459,
          o2_percent: 88,
        },
      });
      expect(HealthEntrySchema.safeParse(result.value).success).toBe(true);
    });

    it('when optional notation is absent, leaves those attributes out', () => {
      const result = deriveHealthEntry({ medications: {}, pain: {}, activities: {} }, 'p');
      expect(result).toEqual({ ok: true, value: { medications: {}, pain: {}, activities: {} } });
    });

    it('when several values are bad, returns every problem and derives the rest', () => {
      const result = deriveHealthEntry(
        {
          ...raw,
          medications: { 'a#b': '1', tylenol: '500mg' },
          pain: { back: '6-x-8', neck: '4', knee: '12' },
          bpr: '129-59',
          sleep: '7:75',
          o2: '45',
        },
        '0523/1300',
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.map((error) => error.message)).toEqual([
        '0523/1300: medications "a#b" is not a medication name',
        '0523/1300: pain.back "6-x-8" is not a pain level',
        '0523/1300: pain.knee "12" is not a pain level',
        '0523/1300: bpr "129-59" is not a blood pressure',
        '0523/1300: sleep "7:75" is not a sleep duration',
        '0523/1300: o2 "45" is not an O2 percent',
      ]);
      expect(result.value.max_pain_level).toBe(4);
      // the first-listed name is invalid, so no primary medication is derived
      expect(result.value).not.toHaveProperty('medication_taken');
      for (const attribute of ['systolic', 'diastolic', 'sleep_minutes', 'o2_percent']) {
        expect(result.value).not.toHaveProperty(attribute);
      }
    });

    it('when the input carries stale derived values, replaces or drops them', () => {
      const stale = { ...raw, o2: 'n/a', max_pain_level: 2, o2_percent: 99, systolic: 1, diastolic: 1 };
      const result = deriveHealthEntry(stale, 'p');
      expect(result.value.max_pain_level).toBe(9);
      expect(result.value).not.toHaveProperty('o2_percent');
      expect(result.value.systolic).toBe(129);
    });

    it('when medication_taken already names one of the medications, keeps it as the primary', () => {
      // DynamoDB maps come back in any order; the recorded primary must survive re-derivation.
      const readBack = { ...raw, medications: { journavx: '100mg', oxycodone: '5mg' }, medication_taken: 'oxycodone' };
      expect(deriveHealthEntry(readBack, 'p').value.medication_taken).toBe('oxycodone');
      const unknown = { ...raw, medication_taken: 'aspirin' };
      expect(deriveHealthEntry(unknown, 'p').value.medication_taken).toBe('oxycodone');
    });
  });

  describe('.toHealthEntry', () => {
    it('when the input is valid, builds the stored entry at the given key', () => {
      const input = omit(raw, 'date', 'timestamp');
      expect(toHealthEntry('2025-05-23', '1300', input)).toMatchObject({
        date: '2025-05-23',
        timestamp: '1300',
        medication_taken: 'oxycodone',
        max_pain_level: 9,
      });
    });

    it('when the input does not derive, throws with every problem', () => {
      expect(() =>
        toHealthEntry('2025-05-23', '1300', { medications: {}, pain: { back: 'x' }, activities: {}, o2: '1' }),
      ).toThrow(new ModelError('models.invalidHealthEntry', '2025-05-23/1300: pain.back "x" is not a pain level; 2025-05-23/1300: o2 "1" is not an O2 percent'));
      expect(() => toHealthEntry('0523', '1300', { medications: {}, pain: {}, activities: {} })).toThrow(ModelError);
    });
  });
});
