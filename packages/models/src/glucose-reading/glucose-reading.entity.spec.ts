import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput } from '../tables/create-table-input.ts';
import type { GlucoseReading } from './glucose-reading.schema.ts';
import { glucoseReadingEntity } from './glucose-reading.entity.ts';

const byCreatedAt = glucoseReadingEntity.indexes['user_id-created_at-index'];

describe('glucose-reading.entity', () => {
  describe('.table', () => {
    it('when derived from the schema, gives the table key, the index and the TTL attribute', () => {
      expect(glucoseReadingEntity.table).toEqual({
        name: 'bg_readings',
        partitionKey: { name: 'user_id', type: 'S' },
        sortKey: { name: 'timestamp', type: 'S' },
        globalSecondaryIndexes: [
          {
            name: 'user_id-created_at-index',
            partitionKey: { name: 'user_id', type: 'S' },
            sortKey: { name: 'created_at', type: 'S' },
          },
          {
            name: 'user_id-srv_modified-index',
            partitionKey: { name: 'user_id', type: 'S' },
            sortKey: { name: 'srv_modified', type: 'N' },
          },
        ],
        ttlAttribute: 'expires_at',
      });
      expect(glucoseReadingEntity.tableName('dev-')).toBe(`dev-${glucoseReadingEntity.table.name}`);
    });

    it('when built as a CreateTable input, gives the documented table name, keys and index names', () => {
      const input = toCreateTableInput(glucoseReadingEntity.table);
      expect(input.TableName).toBe('bg_readings');
      expect(input.KeySchema).toEqual([{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'timestamp', KeyType: 'RANGE' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['user_id-created_at-index', 'user_id-srv_modified-index']);
    });
  });

  describe('.key', () => {
    it('when given a user and instant, returns the table key', () => {
      expect(glucoseReadingEntity.key({ user_id: 'u1', timestamp: '2025-05-23T13:00:00.000Z' })).toEqual({
        user_id: 'u1',
        timestamp: '2025-05-23T13:00:00.000Z',
      });
    });

    it('when the instant is not fixed width, throws rather than building a key that sorts wrong', () => {
      expect(() => glucoseReadingEntity.key({ user_id: 'u1', timestamp: '2025-05-23T13:00:00Z' })).toThrow(ModelError);
      expect(() => glucoseReadingEntity.key({ user_id: '', timestamp: '2025-05-23T13:00:00.000Z' })).toThrow(ModelError);
    });
  });

  describe('.keyOf', () => {
    it('when given a stored reading, picks its table key only', () => {
      const reading = { user_id: 'u1', timestamp: '2025-05-23T13:00:00.000Z', glucose_value: 112 } as GlucoseReading;
      expect(glucoseReadingEntity.keyOf(reading)).toEqual({ user_id: 'u1', timestamp: '2025-05-23T13:00:00.000Z' });
    });
  });

  describe('.primary', () => {
    it('when querying a time range, targets the table (no indexName)', () => {
      expect(
        glucoseReadingEntity.primary.keyCondition('u1', {
          between: ['2025-05-23T00:00:00.000Z', '2025-05-24T00:00:00.000Z'],
        }),
      ).toEqual({
        keyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        expressionAttributeNames: { '#pk': 'user_id', '#sk': 'timestamp' },
        expressionAttributeValues: {
          ':pk': 'u1',
          ':sk': '2025-05-23T00:00:00.000Z',
          ':sk_hi': '2025-05-24T00:00:00.000Z',
        },
      });
    });
  });

  describe(".indexes['user_id-created_at-index']", () => {
    it('when building parts, names the GSI and its keys', () => {
      expect(byCreatedAt.indexName).toBe('user_id-created_at-index');
      expect(byCreatedAt.partition('u1')).toEqual({ user_id: 'u1' });
      expect(byCreatedAt.sort('2025-05-23T13:05:00.000Z')).toEqual({
        created_at: '2025-05-23T13:05:00.000Z',
      });
      expect(byCreatedAt.keyCondition('u1', { gte: '2025-05-23T13:05:00.000Z' })).toMatchObject({
        indexName: 'user_id-created_at-index',
        keyConditionExpression: '#pk = :pk AND #sk >= :sk',
        expressionAttributeNames: { '#pk': 'user_id', '#sk': 'created_at' },
      });
    });
  });
});
