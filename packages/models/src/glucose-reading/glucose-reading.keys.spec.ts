import { ModelError } from '../common/model-error.ts';
import { glucoseReadingCreatedAtIndex, glucoseReadingKey, glucoseReadingPrimaryIndex } from './glucose-reading.keys.ts';

describe('glucose-reading.keys', () => {
  describe('.glucoseReadingKey', () => {
    it('when given a user and instant, returns the table key', () => {
      expect(glucoseReadingKey('u1', '2025-05-23T13:00:00.000Z')).toEqual({
        user_id: 'u1',
        timestamp: '2025-05-23T13:00:00.000Z',
      });
    });

    it('when the instant is not fixed width, throws rather than building a key that sorts wrong', () => {
      expect(() => glucoseReadingKey('u1', '2025-05-23T13:00:00Z')).toThrow(ModelError);
      expect(() => glucoseReadingKey('', '2025-05-23T13:00:00.000Z')).toThrow(ModelError);
    });
  });

  describe('.glucoseReadingPrimaryIndex', () => {
    it('when querying a time range, targets the table (no IndexName)', () => {
      expect(
        glucoseReadingPrimaryIndex.keyCondition('u1', {
          between: ['2025-05-23T00:00:00.000Z', '2025-05-24T00:00:00.000Z'],
        }),
      ).toEqual({
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        ExpressionAttributeNames: { '#pk': 'user_id', '#sk': 'timestamp' },
        ExpressionAttributeValues: {
          ':pk': 'u1',
          ':sk': '2025-05-23T00:00:00.000Z',
          ':sk_hi': '2025-05-24T00:00:00.000Z',
        },
      });
    });
  });

  describe('.glucoseReadingCreatedAtIndex', () => {
    it('when building parts, names the GSI and its keys', () => {
      expect(glucoseReadingCreatedAtIndex.indexName).toBe('user_id-created_at-index');
      expect(glucoseReadingCreatedAtIndex.partition('u1')).toEqual({ user_id: 'u1' });
      expect(glucoseReadingCreatedAtIndex.sort('2025-05-23T13:05:00.000Z')).toEqual({
        created_at: '2025-05-23T13:05:00.000Z',
      });
      expect(glucoseReadingCreatedAtIndex.keyCondition('u1', { gte: '2025-05-23T13:05:00.000Z' })).toMatchObject({
        IndexName: 'user_id-created_at-index',
        KeyConditionExpression: '#pk = :pk AND #sk >= :sk',
        ExpressionAttributeNames: { '#pk': 'user_id', '#sk': 'created_at' },
      });
    });
  });
});
