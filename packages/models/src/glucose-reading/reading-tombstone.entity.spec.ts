import { toCreateTableInput } from '../tables/create-table-input.ts';
import { ReadingChangeSchema, ReadingTombstoneSchema, readingTombstoneEntity } from './reading-tombstone.entity.ts';

const tombstone = {
  user_id: 'u1',
  timestamp: '2025-05-23T13:00:00.000Z',
  srv_modified: 1_748_005_500_000,
  deleted_at: '2025-05-23T13:05:00.000Z',
  expires_at: 1_755_781_500,
};

describe('reading-tombstone.entity', () => {
  describe('.table', () => {
    it('when built as a CreateTable input, gives the table, the reading key, the feed index (numeric) and the TTL', () => {
      expect(readingTombstoneEntity.table.ttlAttribute).toBe('expires_at');
      const input = toCreateTableInput(readingTombstoneEntity.table);
      expect(input.TableName).toBe('bg_reading_tombstones');
      expect(input.KeySchema).toEqual([{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'timestamp', KeyType: 'RANGE' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['user_id-srv_modified-index']);
      expect(input.AttributeDefinitions).toContainEqual({ AttributeName: 'srv_modified', AttributeType: 'N' });
    });
  });

  describe('ReadingTombstoneSchema', () => {
    it('when a tombstone lacks its expiry or has a fractional srv_modified, refuses it', () => {
      expect(ReadingTombstoneSchema.safeParse(tombstone).success).toBe(true);
      const { expires_at: _dropped, ...withoutExpiry } = tombstone;
      expect(ReadingTombstoneSchema.safeParse(withoutExpiry).success).toBe(false);
      expect(ReadingTombstoneSchema.safeParse({ ...tombstone, srv_modified: 1.5 }).success).toBe(false);
    });
  });

  describe('ReadingChangeSchema', () => {
    it('when a delete carries reading fields, or an upsert no reading, refuses it', () => {
      const deletion = { kind: 'delete', srv_modified: 1, user_id: 'u1', timestamp: tombstone.timestamp };
      expect(ReadingChangeSchema.safeParse(deletion).success).toBe(true);
      expect(ReadingChangeSchema.safeParse({ ...deletion, glucose_value: 112 }).success).toBe(false);
      expect(ReadingChangeSchema.safeParse({ kind: 'upsert', srv_modified: 1 }).success).toBe(false);
    });
  });
});
