import { ModelError } from '../common/model-error.ts';
import { HealthEntryTableItemSchema, MedicationIndexItemSchema, HealthEntrySchema } from './health-entry.schema.ts';
import type { HealthEntry } from './health-entry.schema.ts';
import { omit } from '../common/omit.ts';
import {
  diffHealthEntryItems,
  healthEntryFromItem,
  healthEntryItemKeys,
  healthEntryItems,
  isMedicationIndexItem,
} from './medication-index.ts';

const entry: HealthEntry = {
  date: '2025-05-23',
  timestamp: '1300',
  medications: { oxycodone: '5mg', journavx: '100mg', tylenol: '500mg' },
  pain: { back: '6-7-8' },
  activities: { walking: 16 },
  o2: '88',
  note: 'n',
  medication_taken: 'oxycodone',
  max_pain_level: 8,
  o2_percent: 88,
};

describe('medication-index', () => {
  describe('.healthEntryItems', () => {
    it('when an entry lists 3 medications, gives 1 entry item and 2 index items', () => {
      const { entry: main, medication_index_items } = healthEntryItems(entry);
      expect(main).toEqual(entry);
      expect(medication_index_items).toEqual([
        {
          date: '2025-05-23',
          timestamp: 'med#journavx#1300',
          medications: entry.medications,
          pain: entry.pain,
          activities: entry.activities,
          o2: '88',
          note: 'n',
          o2_percent: 88,
          medication_taken: 'journavx',
          entry_timestamp: '1300',
          entry_medication_taken: 'oxycodone',
          entry_max_pain_level: 8,
        },
        expect.objectContaining({ timestamp: 'med#tylenol#1300', medication_taken: 'tylenol' }),
      ]);
      for (const item of medication_index_items) {
        expect(item).not.toHaveProperty('max_pain_level');
        expect(MedicationIndexItemSchema.safeParse(item).success).toBe(true);
        // sorts after every HHMM, so a main-table BETWEEN '0000' AND '2359' never returns it
        expect(item.timestamp > '2359').toBe(true);
      }
      expect(HealthEntrySchema.safeParse(main).success).toBe(true);
    });

    it('when medication_taken is not set, makes the first-listed medication primary', () => {
      const { entry: main, medication_index_items } = healthEntryItems(omit(entry, 'medication_taken'));
      expect(main.medication_taken).toBe('oxycodone');
      expect(medication_index_items.map((item) => item.medication_taken)).toEqual(['journavx', 'tylenol']);
    });

    it('when the map order differs from the recorded primary (as DynamoDB returns maps), keeps the recorded primary', () => {
      const readBack = { ...entry, medications: { tylenol: '500mg', journavx: '100mg', oxycodone: '5mg' } };
      const { entry: main, medication_index_items } = healthEntryItems(readBack);
      expect(main.medication_taken).toBe('oxycodone');
      expect(medication_index_items.map((item) => item.medication_taken)).toEqual(['tylenol', 'journavx']);
    });

    it('when the entry lists one or no medication, gives no index items', () => {
      expect(healthEntryItems({ ...entry, medications: { oxycodone: '5mg' } }).medication_index_items).toEqual([]);
      const items = healthEntryItems({ ...omit(entry, 'medication_taken'), medications: {} });
      expect(items.medication_index_items).toEqual([]);
      expect(items.entry).not.toHaveProperty('medication_taken');
    });

    it('when there is no pain, neither item carries a pain level', () => {
      const items = healthEntryItems({ ...omit(entry, 'max_pain_level'), pain: {} });
      expect(items.entry).not.toHaveProperty('max_pain_level');
      expect(items.medication_index_items[0]).not.toHaveProperty('entry_max_pain_level');
    });

    it('when a medication name holds "#" or medication_taken is not listed, throws', () => {
      expect(() => healthEntryItems({ ...entry, medications: { ...entry.medications, 'a#b': '1' } })).toThrow(
        expect.objectContaining({ code: 'models.invalidHealthEntry' }),
      );
      expect(() => healthEntryItems({ ...entry, medication_taken: 'aspirin' })).toThrow(ModelError);
    });
  });

  describe('.healthEntryFromItem', () => {
    it('when given every item of an entry, maps each back to the same entry', () => {
      const { entry: main, medication_index_items } = healthEntryItems(entry);
      for (const item of [main, ...medication_index_items]) {
        const stored = HealthEntryTableItemSchema.parse(JSON.parse(JSON.stringify(item)));
        expect(healthEntryFromItem(stored)).toEqual(entry);
      }
    });

    it('when the entry has no pain level, the round trip does not invent one', () => {
      const painless = { ...omit(entry, 'max_pain_level'), pain: {} };
      const indexItem = healthEntryItems(painless).medication_index_items[0];
      expect(indexItem).toBeDefined();
      if (indexItem) expect(healthEntryFromItem(indexItem)).toEqual(painless);
    });
  });

  describe('.isMedicationIndexItem', () => {
    it('when given an entry or an index item, tells them apart', () => {
      const { entry: main, medication_index_items } = healthEntryItems(entry);
      expect(isMedicationIndexItem(main)).toBe(false);
      expect(medication_index_items.map(isMedicationIndexItem)).toEqual([true, true]);
    });
  });

  describe('.healthEntryItemKeys', () => {
    it('when asked for every key of an entry, lists the entry key first, then each index item key', () => {
      expect(healthEntryItemKeys(entry)).toEqual([
        { date: '2025-05-23', timestamp: '1300' },
        { date: '2025-05-23', timestamp: 'med#journavx#1300' },
        { date: '2025-05-23', timestamp: 'med#tylenol#1300' },
      ]);
    });
  });

  describe('.diffHealthEntryItems', () => {
    it('when the entry is new, puts every item and deletes nothing', () => {
      const diff = diffHealthEntryItems(undefined, entry);
      expect(diff.put).toHaveLength(3);
      expect(diff.delete).toEqual([]);
    });

    it('when a medication is dropped, deletes its index item', () => {
      const next = { ...entry, medications: { oxycodone: '5mg', tylenol: '500mg' } };
      const diff = diffHealthEntryItems(entry, next);
      expect(diff.put.map((item) => item.timestamp)).toEqual(['1300', 'med#tylenol#1300']);
      expect(diff.delete).toEqual([{ date: '2025-05-23', timestamp: 'med#journavx#1300' }]);
    });

    it('when the primary medication changes, deletes the index item of the new primary', () => {
      const next = { ...entry, medication_taken: 'journavx' };
      const diff = diffHealthEntryItems(entry, next);
      expect(diff.put.map((item) => item.timestamp)).toEqual(['1300', 'med#oxycodone#1300', 'med#tylenol#1300']);
      expect(diff.delete).toEqual([{ date: '2025-05-23', timestamp: 'med#journavx#1300' }]);
    });

    it('when the two entries have different keys, throws', () => {
      expect(() => diffHealthEntryItems(entry, { ...entry, timestamp: '1400' })).toThrow(ModelError);
    });
  });
});
