import { buildDailySummary } from '../daily-summary/build-daily-summary.ts';
import { DailySummarySchema } from '../daily-summary/daily-summary.schema.ts';
import { RESERVED_MAP_KEYS } from '../common/map.schema.ts';
import { trendFromDexcom } from '../glucose-reading/glucose-units.ts';
import { toHealthEntry } from './derive-health-entry.ts';
import { HealthEntryInputSchema, HealthEntrySchema, parseHealthEntryTableItem } from './health-entry.schema.ts';
import { healthEntryFromItem, healthEntryItems } from './medication-index.ts';

/*
 * A map key is a name a client chose. Names that Object.prototype also has
 * (`toString`, `valueOf`, …) must be data like any other; the two that the
 * layers below cannot carry (`__proto__`, `constructor`: see
 * RESERVED_MAP_KEYS) must be refused at their path.
 */
const ALL_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const PROTOTYPE_NAMES = ALL_PROTOTYPE_NAMES.filter((name) => !RESERVED_MAP_KEYS.has(name));
const now = new Date('2025-05-24T06:00:00.000Z');

/** The body a client sends, as `JSON.parse` builds it (so `__proto__` is an own key, as from the network). */
function bodyWith(name: string): unknown {
  const key = JSON.stringify(name);
  return JSON.parse(`{"medications":{${key}:"5mg","aspirin":"1g"},"pain":{${key}:"6-7"},"activities":{${key}:10}}`);
}

describe('hostile map keys', () => {
  it('when the names are checked, they include the ones the issue names', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']));
    expect([...RESERVED_MAP_KEYS.keys()]).toEqual(['__proto__', 'constructor']);
  });

  describe.each(PROTOTYPE_NAMES)('when a map key is "%s"', (name) => {
    it('round-trips: input, stored items, the entry read back and the day summary keep it exactly', () => {
      const input = HealthEntryInputSchema.parse(bodyWith(name));
      expect(Object.entries(input.medications)).toEqual([[name, '5mg'], ['aspirin', '1g']]);
      expect(Object.entries(input.pain)).toEqual([[name, '6-7']]);
      expect(Object.entries(input.activities)).toEqual([[name, 10]]);

      const entry = toHealthEntry('2025-05-23', '1300', input);
      expect(entry).toEqual(expect.objectContaining({ medication_taken: name, max_pain_level: 7 }));
      const items = healthEntryItems(entry);
      for (const item of [items.entry, ...items.medication_index_items]) {
        // What DynamoDB hands back is a fresh object: a JSON round trip is the closest pure stand-in.
        const readBack = parseHealthEntryTableItem(JSON.parse(JSON.stringify(item)));
        expect(readBack.success && healthEntryFromItem(readBack.data)).toEqual(entry);
      }
      expect(HealthEntrySchema.parse(JSON.parse(JSON.stringify(entry)))).toEqual(entry);

      const summary = DailySummarySchema.parse(buildDailySummary('2025-05-23', [entry, entry], now));
      expect(summary.medication_doses).toEqual({ [name]: 2, aspirin: 2 });
      expect(summary.activity_minutes).toEqual({ [name]: 20 });
    });
  });

  describe.each(['medications', 'pain', 'activities'].flatMap((map) => [...RESERVED_MAP_KEYS.keys()].map((key) => [map, key])))(
    'when %s has the key "%s"',
    (map, key) => {
      it('is refused at its path instead of being dropped or failing the write', () => {
        const value = map === 'activities' ? '10' : '"5"';
        const result = HealthEntryInputSchema.safeParse(JSON.parse(`{"${map}":{"${key}":${value},"knee":${value}}}`));
        expect(result.success).toBe(false);
        expect(result.error?.issues).toEqual([
          expect.objectContaining({ path: [map, key], message: expect.stringContaining(`"${key}" cannot be a name`) }),
        ]);
      });
    },
  );

  describe('trendFromDexcom', () => {
    it.each(ALL_PROTOTYPE_NAMES)('when the word is "%s", it is unknown, not an Object.prototype member', (word) => {
      expect(trendFromDexcom(word)).toBe('unknown');
    });
  });
});
