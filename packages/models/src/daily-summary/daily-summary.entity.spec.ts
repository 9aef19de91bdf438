import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput } from '../tables/create-table-input.ts';
import { dailySummaryEntity } from './daily-summary.entity.ts';

describe('daily-summary.entity', () => {
  describe('.table', () => {
    it('when derived from the schema, gives a partition-only key and no index', () => {
      expect(dailySummaryEntity.table).toEqual({
        name: 'fusion-daily-summaries',
        partitionKey: { name: 'date', type: 'S' },
        globalSecondaryIndexes: [],
      });
      expect(dailySummaryEntity.indexes).toEqual({});
    });

    it('when built as a CreateTable input, gives the documented table name, keys and index names', () => {
      const input = toCreateTableInput(dailySummaryEntity.table);
      expect(input.TableName).toBe('fusion-daily-summaries');
      expect(input.KeySchema).toEqual([{ AttributeName: 'date', KeyType: 'HASH' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual([]);
    });
  });

  describe('.key', () => {
    it('when given a date, returns the table key; an MMDD date throws', () => {
      expect(dailySummaryEntity.key({ date: '2025-05-23' })).toEqual({ date: '2025-05-23' });
      expect(() => dailySummaryEntity.key({ date: '0523' })).toThrow(ModelError);
      expect(dailySummaryEntity.primary.keyCondition('2025-05-23').expressionAttributeNames).toEqual({ '#pk': 'date' });
    });
  });
});
