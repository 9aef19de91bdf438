import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput } from '../tables/create-table-input.ts';
import { userTokenEntity } from './user-token.entity.ts';

const byExpiry = userTokenEntity.indexes['provider-expires_at-index'];

describe('user-token.entity', () => {
  describe('.table', () => {
    it('when derived from the schema, gives the table key, the numeric index sort key and no TTL', () => {
      expect(userTokenEntity.table).toEqual({
        name: 'user_tokens',
        partitionKey: { name: 'user_id', type: 'S' },
        sortKey: { name: 'provider', type: 'S' },
        globalSecondaryIndexes: [
          {
            name: 'provider-expires_at-index',
            partitionKey: { name: 'provider', type: 'S' },
            sortKey: { name: 'expires_at', type: 'N' },
          },
        ],
      });
    });

    it('when built as a CreateTable input, gives the documented table name, keys and index names', () => {
      const input = toCreateTableInput(userTokenEntity.table);
      expect(input.TableName).toBe('user_tokens');
      expect(input.KeySchema).toEqual([{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'provider', KeyType: 'RANGE' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['provider-expires_at-index']);
    });
  });

  describe('.key', () => {
    it('when given user and provider, returns the table key; a bad provider throws', () => {
      expect(userTokenEntity.key({ user_id: 'u1', provider: 'dexcom' })).toEqual({ user_id: 'u1', provider: 'dexcom' });
      expect(() => userTokenEntity.key({ user_id: 'u1', provider: 'Dexcom' })).toThrow(ModelError);
      expect(userTokenEntity.primary.keyCondition('u1')).toMatchObject({ expressionAttributeValues: { ':pk': 'u1' } });
    });
  });

  describe(".indexes['provider-expires_at-index']", () => {
    it('when finding tokens expiring before a time, uses the numeric expires_at sort key', () => {
      expect(byExpiry.keyCondition('dexcom', { lt: 1_780_000_000 })).toEqual({
        indexName: 'provider-expires_at-index',
        keyConditionExpression: '#pk = :pk AND #sk < :sk',
        expressionAttributeNames: { '#pk': 'provider', '#sk': 'expires_at' },
        expressionAttributeValues: { ':pk': 'dexcom', ':sk': 1_780_000_000 },
      });
      expect(() => byExpiry.sort(1.5)).toThrow(ModelError);
    });
  });
});
