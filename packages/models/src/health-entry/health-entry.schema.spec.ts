import { omit } from '../common/omit.ts';
import {
  HealthEntryInputSchema,
  HealthEntrySchema,
  HealthEntryTableItemSchema,
  MedicationIndexItemSchema,
  parseHealthEntryTableItem,
} from './health-entry.schema.ts';
import type { HealthEntry, MedicationIndexItem } from './health-entry.schema.ts';

const entry: HealthEntry = {
  date: '2025-05-23',
  timestamp: '1300',
  medications: { oxycodone: '5mg', journavx: '100mg' },
  pain: { back: '6-7-8' },
  activities: { walking: 16 },
  o2: '88',
  bpr: '129/59',
  note: 'n',
  sleep: '7:39',
  medication_taken: 'oxycodone',
  max_pain_level: 8,
  systolic: 129,
  diastolic: 59,
  sleep_minutes: 459,
  o2_percent: 88,
};

const indexItem: MedicationIndexItem = {
  ...omit(entry, 'max_pain_level'),
  timestamp: 'med#journavx#1300',
  medication_taken: 'journavx',
  entry_timestamp: '1300',
  entry_medication_taken: 'oxycodone',
  entry_max_pain_level: 8,
};

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('health-entry.schema', () => {
  describe('.HealthEntryInputSchema', () => {
    it('when the maps are left out, defaults them to empty', () => {
      expect(HealthEntryInputSchema.parse({ note: 'rest day' })).toEqual({
        medications: {},
        pain: {},
        activities: {},
        note: 'rest day',
      });
    });

    it('when every raw value parses, accepts the body', () => {
      const body = {
        medications: { oxycodone: '5mg' },
        pain: { back: '6-7-8' },
        activities: { walking: 16 },
        o2: '88',
        bpr: '129/59',
        sleep: '7:39',
      };
      expect(HealthEntryInputSchema.parse(body)).toEqual(body);
    });

    it('when raw values do not parse, reports each at its path with the value', () => {
      const result = HealthEntryInputSchema.safeParse({
        medications: { 'oxy#codone': '5mg' },
        pain: { back: '6-x-8' },
        bpr: '129',
        sleep: '7:99',
        o2: '120',
      });
      expect(messages(result)).toEqual([
        'medications.oxy#codone: medication name "oxy#codone" must be 1..200 characters of well-formed text without "#"',
        'pain.back: pain.back "6-x-8" is not a pain level',
        'bpr: bpr "129" is not a blood pressure',
        'sleep: sleep "7:99" is not a sleep duration',
        'o2: o2 "120" is not an O2 percent',
      ]);
    });

    it('when activity minutes are too small for DynamoDB to store, reports them at their path', () => {
      expect(messages(HealthEntryInputSchema.safeParse({ activities: { walk: 5e-324, rest: 0, nap: 1e-130 } }))).toEqual([
        'activities.walk: must be 0 or at least 1e-130, the smallest number DynamoDB stores',
      ]);
      expect(messages(HealthEntryInputSchema.safeParse({ activities: { walk: -1 } }))).toEqual([
        'activities.walk: Too small: expected number to be >=0',
      ]);
    });

    it.each([
      ['derived max_pain_level', { max_pain_level: 3 }],
      ['derived medication_taken', { medication_taken: 'x' }],
      ['the key (date)', { date: '2025-05-23' }],
      ['an unknown field', { mood: 'ok' }],
      ['negative activity minutes', { activities: { walking: -1 } }],
      ['a numeric dose', { medications: { oxycodone: 5 } }],
    ])('when the body has %s, rejects it', (_label, body) => {
      expect(HealthEntryInputSchema.safeParse(body).success).toBe(false);
    });
  });

  describe('.HealthEntrySchema', () => {
    it('when the stored entry is complete, accepts it', () => {
      expect(HealthEntrySchema.parse(entry)).toEqual(entry);
    });

    it('when a stored raw value did not parse, still loads it (its derived value is simply absent)', () => {
      expect(HealthEntrySchema.safeParse({ ...omit(entry, 'o2_percent'), o2: 'n/a' }).success).toBe(true);
    });

    it.each([
      ['an MMDD date', { ...entry, date: '0523' }],
      ['an index-item timestamp', { ...entry, timestamp: 'med#journavx#1300' }],
      ['a medication_taken it does not list', { ...entry, medication_taken: 'aspirin' }],
      ['a pain level above 10', { ...entry, max_pain_level: 11 }],
      ['a fractional pain level', { ...entry, max_pain_level: 7.5 }],
      ['o2_percent below 50', { ...entry, o2_percent: 40 }],
      ['a "#" in a medication name', { ...entry, medications: { 'a#b': '1' }, medication_taken: undefined }],
      ['an index marker', { ...entry, entry_timestamp: '1300' }],
      ['an unknown field', { ...entry, mood: 'ok' }],
    ])('when the entry has %s, rejects it', (_label, item) => {
      expect(HealthEntrySchema.safeParse(item).success).toBe(false);
    });
  });

  describe('.MedicationIndexItemSchema', () => {
    it('when the index item is consistent, accepts it', () => {
      expect(MedicationIndexItemSchema.parse(indexItem)).toEqual(indexItem);
    });

    it.each([
      ['max_pain_level (it would appear in pain-level-index)', { ...indexItem, max_pain_level: 8 }],
      ['a timestamp not matching its medication', { ...indexItem, timestamp: 'med#oxycodone#1300' }],
      ['a timestamp not matching its entry time', { ...indexItem, timestamp: 'med#journavx#1400' }],
      ['the primary medication as its medication', {
        ...indexItem,
        timestamp: 'med#oxycodone#1300',
        medication_taken: 'oxycodone',
      }],
      ['a medication the entry does not list', { ...indexItem, timestamp: 'med#aspirin#1300', medication_taken: 'aspirin' }],
      ['no entry_timestamp marker', { ...indexItem, entry_timestamp: undefined }],
    ])('when the item has %s, rejects it', (_label, item) => {
      expect(MedicationIndexItemSchema.safeParse(item).success).toBe(false);
    });
  });

  describe('.HealthEntryTableItemSchema', () => {
    it('when reading either kind of item, accepts both and nothing else', () => {
      expect(HealthEntryTableItemSchema.parse(entry)).toEqual(entry);
      expect(HealthEntryTableItemSchema.parse(indexItem)).toEqual(indexItem);
      expect(HealthEntryTableItemSchema.safeParse({ ...indexItem, max_pain_level: 8 }).success).toBe(false);
    });
  });

  describe('.parseHealthEntryTableItem', () => {
    it('when the item is valid, parses either kind', () => {
      expect(parseHealthEntryTableItem(entry)).toEqual({ success: true, data: entry });
      expect(parseHealthEntryTableItem(indexItem)).toEqual({ success: true, data: indexItem });
    });

    it('when the item is invalid, reports the issues of the schema its marker selects', () => {
      expect(messages(parseHealthEntryTableItem({ ...indexItem, timestamp: 'med#x#1300' }))).toEqual([
        'timestamp: must be med#<medication_taken>#<entry_timestamp>',
      ]);
      expect(messages(parseHealthEntryTableItem({ ...entry, medication_taken: 'aspirin' }))).toEqual([
        'medication_taken: must be one of medications',
      ]);
      expect(parseHealthEntryTableItem(null).success).toBe(false);
    });
  });
});
