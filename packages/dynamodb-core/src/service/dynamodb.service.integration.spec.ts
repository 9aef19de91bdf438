import { localService } from '../test-support/dynamodb-local.ts';
import type { DynamoDBService } from './dynamodb.service.ts';

describe('DynamoDBService (DynamoDB Local)', () => {
  let service: DynamoDBService;

  beforeAll(() => {
    service = localService();
  });
  afterAll(() => service.close());

  describe('.ping', () => {
    it('answers with a latency', async () => {
      const { latency_ms } = await service.ping();
      expect(latency_ms).toBeGreaterThanOrEqual(0);
    });
  });
});
