import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput } from '../tables/create-table-input.ts';
import { syncJobEntity } from './sync-job.entity.ts';

const JOB_ID = '0b6f4f3e-8d2a-4c1e-9f3a-5b7c9d1e2f30';
const byStatus = syncJobEntity.indexes['status-scheduled_at-index'];
const byUser = syncJobEntity.indexes['user_id-scheduled_at-index'];

describe('sync-job.entity', () => {
  describe('.table', () => {
    it('when derived from the schema, gives a partition-only key, both indexes in order and the TTL', () => {
      expect(syncJobEntity.table).toEqual({
        name: 'sync_jobs',
        partitionKey: { name: 'job_id', type: 'S' },
        globalSecondaryIndexes: [
          {
            name: 'status-scheduled_at-index',
            partitionKey: { name: 'status', type: 'S' },
            sortKey: { name: 'scheduled_at', type: 'S' },
          },
          {
            name: 'user_id-scheduled_at-index',
            partitionKey: { name: 'user_id', type: 'S' },
            sortKey: { name: 'scheduled_at', type: 'S' },
          },
        ],
        ttlAttribute: 'expires_at',
      });
    });

    it('when built as a CreateTable input, gives the documented table name, keys and index names', () => {
      const input = toCreateTableInput(syncJobEntity.table);
      expect(input.TableName).toBe('sync_jobs');
      expect(input.KeySchema).toEqual([{ AttributeName: 'job_id', KeyType: 'HASH' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['status-scheduled_at-index', 'user_id-scheduled_at-index']);
    });
  });

  describe('.key / .indexes', () => {
    it('when building keys, returns the table key and GSI conditions', () => {
      expect(syncJobEntity.key({ job_id: JOB_ID })).toEqual({ job_id: JOB_ID });
      expect(() => syncJobEntity.key({ job_id: 'job-1' })).toThrow(ModelError);
      expect(byStatus.keyCondition('pending', { lte: '2025-05-23T13:00:00.000Z' })).toEqual({
        indexName: 'status-scheduled_at-index',
        keyConditionExpression: '#pk = :pk AND #sk <= :sk',
        expressionAttributeNames: { '#pk': 'status', '#sk': 'scheduled_at' },
        expressionAttributeValues: { ':pk': 'pending', ':sk': '2025-05-23T13:00:00.000Z' },
      });
      expect(() => byStatus.partition('queued' as 'pending')).toThrow(ModelError);
      expect(byUser.indexName).toBe('user_id-scheduled_at-index');
      expect(byUser.partition('u1')).toEqual({ user_id: 'u1' });
    });
  });
});
