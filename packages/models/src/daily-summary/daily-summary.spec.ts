import { ModelError } from '../common/model-error.ts';
import type { HealthEntry } from '../health-entry/health-entry.schema.ts';
import { buildDailySummary } from './build-daily-summary.ts';
import { DailySummarySchema } from './daily-summary.schema.ts';

const now = new Date('2025-05-24T06:00:00.000Z');

/*
 * Three entries of 2025-05-23, derived attributes as stored:
 * 0800: oxycodone + journavx; pain max 8; o2 88; bp 129/59; sleep 7:39 = 459; walking 16, standing 5
 * 1300: oxycodone; pain max 5; o2 92; bp 121/71; walking 10
 * 1900: tylenol; no pain; no o2; no bp; nap 0:45 = 45
 * → entry_count 3; max_pain 8; mean_max_pain (8 + 5) / 2 = 6.5
 *   doses oxycodone 2, journavx 1, tylenol 1; walking 16 + 10 = 26, standing 5
 *   min_o2 min(88, 92) = 88; mean_systolic (129 + 121) / 2 = 125; mean_diastolic (59 + 71) / 2 = 65
 *   sleep 459 + 45 = 504
 */
const entries: HealthEntry[] = [
  {
    date: '2025-05-23',
    timestamp: '0800',
    medications: { oxycodone: '5mg', journavx: '100mg' },
    pain: { back: '6-7-8', quads: '5' },
    activities: { walking: 16, standing: 5 },
    o2: '88',
    bpr: '129/59',
    sleep: '7:39',
    medication_taken: 'oxycodone',
    max_pain_level: 8,
    o2_percent: 88,
    systolic: 129,
    diastolic: 59,
    sleep_minutes: 459,
  },
  {
    date: '2025-05-23',
    timestamp: '1300',
    medications: { oxycodone: '5mg' },
    pain: { back: '4/5' },
    activities: { walking: 10 },
    o2: '92',
    bpr: '121/71',
    medication_taken: 'oxycodone',
    max_pain_level: 5,
    o2_percent: 92,
    systolic: 121,
    diastolic: 71,
  },
  {
    date: '2025-05-23',
    timestamp: '1900',
    medications: { tylenol: '500mg' },
    pain: {},
    activities: {},
    sleep: '0:45',
    medication_taken: 'tylenol',
    sleep_minutes: 45,
  },
];

describe('daily-summary', () => {
  describe('.buildDailySummary', () => {
    it('when given the hand-computed day, matches every aggregate', () => {
      const summary = buildDailySummary('2025-05-23', entries, now);
      expect(summary).toEqual({
        date: '2025-05-23',
        entry_count: 3,
        max_pain_level: 8,
        mean_max_pain: 6.5,
        medication_doses: { oxycodone: 2, journavx: 1, tylenol: 1 },
        activity_minutes: { walking: 26, standing: 5 },
        min_o2_percent: 88,
        mean_systolic: 125,
        mean_diastolic: 65,
        sleep_minutes: 504,
        updated_at: '2025-05-24T06:00:00.000Z',
      });
      expect(DailySummarySchema.safeParse(summary).success).toBe(true);
    });

    it('when the day has no entries, gives zero counts and nulls, never NaN', () => {
      const summary = buildDailySummary('2025-05-23', [], now);
      expect(summary).toEqual({
        date: '2025-05-23',
        entry_count: 0,
        max_pain_level: null,
        mean_max_pain: null,
        medication_doses: {},
        activity_minutes: {},
        min_o2_percent: null,
        mean_systolic: null,
        mean_diastolic: null,
        sleep_minutes: null,
        updated_at: '2025-05-24T06:00:00.000Z',
      });
      expect(DailySummarySchema.safeParse(summary).success).toBe(true);
    });

    it('when only some entries have a value, averages over those (a missing value is not a zero)', () => {
      // pain: only 1300 has one (5) → mean 5, not (5 + 0) / 2
      const summary = buildDailySummary('2025-05-23', [entries[1] as HealthEntry, entries[2] as HealthEntry], now);
      expect(summary.mean_max_pain).toBe(5);
      expect(summary.mean_systolic).toBe(121);
      expect(summary.sleep_minutes).toBe(45);
    });

    it('when an entry belongs to another day, throws', () => {
      expect(() => buildDailySummary('2025-05-24', entries, now)).toThrow(ModelError);
    });
  });

  describe('.DailySummarySchema', () => {
    const summary = buildDailySummary('2025-05-23', entries, now);

    it.each([
      ['an unknown field', { ...summary, trend: 'up' }],
      ['a missing nullable field', { ...summary, min_o2_percent: undefined }],
      ['a zero dose count', { ...summary, medication_doses: { oxycodone: 0 } }],
      ['an MMDD date', { ...summary, date: '0523' }],
      ['a NaN mean', { ...summary, mean_systolic: Number.NaN }],
    ])('when the summary has %s, rejects it', (_label, item) => {
      expect(DailySummarySchema.safeParse(item).success).toBe(false);
    });
  });
});
