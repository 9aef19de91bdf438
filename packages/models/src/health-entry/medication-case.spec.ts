import type { HealthEntry } from './health-entry.schema.ts';
import { parseHealthEntryTableItem } from './health-entry.schema.ts';
import { healthEntryItemKeys, healthEntryItems } from './medication-index.ts';
import { medicationMatchName } from './medication-name.schema.ts';

const entry = (medications: Record<string, string>): HealthEntry => ({
  date: '2025-05-23',
  timestamp: '1300',
  medications,
  pain: {},
  activities: {},
  medication_taken: Object.keys(medications)[0] as string,
});

/** The medication-index keys an entry is listed under (entry item first). */
const indexKeys = (stored: HealthEntry) => {
  const items = healthEntryItems(stored);
  return [items.entry, ...items.medication_index_items].map((item) => item.medication_taken);
};

describe('case-insensitive medication matching', () => {
  it('when names are written with capitals, the entry is also listed under each lower-case form, once', () => {
    expect(indexKeys(entry({ Ibuprofen: '400mg', PARACETAMOL: '1g', aspirin: '100mg' }))).toEqual([
      'Ibuprofen',
      'PARACETAMOL',
      'aspirin',
      'ibuprofen',
      'paracetamol',
    ]);
  });

  it('when a lower-case form is listed itself, or two spellings share one, no second item is made for it', () => {
    const keys = indexKeys(entry({ Ibuprofen: '400mg', ibuprofen: '200mg', IBUPROFEN: '1', Tylenol: '1' }));
    expect(keys).toEqual(['Ibuprofen', 'ibuprofen', 'IBUPROFEN', 'Tylenol', 'tylenol']);
    expect(keys.filter((key) => key === medicationMatchName('IBUPROFEN'))).toHaveLength(1);
  });

  it('when the items are read back, each parses and the keys to delete include the lower-case items', () => {
    const stored = entry({ Celecoxib: '200mg', Oxycodone: '5mg' });
    const items = healthEntryItems(stored);
    for (const item of items.medication_index_items) expect(parseHealthEntryTableItem(JSON.parse(JSON.stringify(item))).success).toBe(true);
    expect(healthEntryItemKeys(stored).map((key) => key.timestamp)).toEqual(['1300', 'med#Oxycodone#1300', 'med#celecoxib#1300', 'med#oxycodone#1300']);
  });

  it('when an index item claims a medication the entry does not list in any case, it does not parse', () => {
    const [item] = healthEntryItems(entry({ Celecoxib: '200mg', Oxycodone: '5mg' })).medication_index_items;
    const forged = { ...item, medication_taken: 'morphine', timestamp: 'med#morphine#1300' };
    expect(parseHealthEntryTableItem(forged).success).toBe(false);
  });
});
