import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput } from '../tables/create-table-input.ts';
import { healthEntryEntity } from './health-entry.entity.ts';

const byMedication = healthEntryEntity.indexes['medication-index'];
const byPainLevel = healthEntryEntity.indexes['pain-level-index'];

describe('health-entry.entity', () => {
  describe('.table', () => {
    it('when derived from the union of entries and index items, gives both indexes with their key types', () => {
      expect(healthEntryEntity.table).toEqual({
        name: 'fusion-health-entries',
        partitionKey: { name: 'date', type: 'S' },
        sortKey: { name: 'timestamp', type: 'S' },
        globalSecondaryIndexes: [
          {
            name: 'medication-index',
            partitionKey: { name: 'medication_taken', type: 'S' },
            sortKey: { name: 'date', type: 'S' },
          },
          {
            name: 'pain-level-index',
            partitionKey: { name: 'max_pain_level', type: 'N' },
            sortKey: { name: 'date', type: 'S' },
          },
        ],
      });
    });

    it('when built as a CreateTable input, gives the documented table name, keys and index names', () => {
      const input = toCreateTableInput(healthEntryEntity.table);
      expect(input.TableName).toBe('fusion-health-entries');
      expect(input.KeySchema).toEqual([{ AttributeName: 'date', KeyType: 'HASH' }, { AttributeName: 'timestamp', KeyType: 'RANGE' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['medication-index', 'pain-level-index']);
    });
  });

  describe('.primary', () => {
    it('when given either sort-key form, accepts it', () => {
      expect(healthEntryEntity.primary.sort('med#journavx#1300')).toEqual({ timestamp: 'med#journavx#1300' });
      expect(() => healthEntryEntity.primary.sort('med#journavx')).toThrow(ModelError);
    });

    it('when building a whole key, checks the sort key with the override too', () => {
      expect(healthEntryEntity.key({ date: '2025-05-23', timestamp: 'med#journavx#1300' })).toEqual({
        date: '2025-05-23',
        timestamp: 'med#journavx#1300',
      });
      expect(() => healthEntryEntity.key({ date: '2025-05-23', timestamp: 'anything' })).toThrow(ModelError);
    });
  });

  describe(".indexes['medication-index'] / .indexes['pain-level-index']", () => {
    it('when querying by medication over dates, targets medication-index', () => {
      expect(byMedication.keyCondition('oxycodone', { between: ['2025-05-20', '2025-05-30'] })).toEqual({
        indexName: 'medication-index',
        keyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        expressionAttributeNames: { '#pk': 'medication_taken', '#sk': 'date' },
        expressionAttributeValues: { ':pk': 'oxycodone', ':sk': '2025-05-20', ':sk_hi': '2025-05-30' },
      });
    });

    it('when querying by pain level, uses a number 0..10', () => {
      expect(byPainLevel.keyCondition(8)).toMatchObject({
        indexName: 'pain-level-index',
        expressionAttributeValues: { ':pk': 8 },
      });
      expect(() => byPainLevel.partition(11)).toThrow(ModelError);
    });
  });
});
