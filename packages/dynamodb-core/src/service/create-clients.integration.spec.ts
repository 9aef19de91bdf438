import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { DynamoDBService } from './dynamodb.service.ts';
import { silentLogger } from '../test-support/dynamodb-local.ts';

describe('createClients (DynamoDB Local)', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // Nowhere for the SDK's default chain to find credentials, as on a fresh developer machine.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/vitals-test/credentials';
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/vitals-test/config';
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('when a loopback URL endpoint is given without credentials, talks to DynamoDB Local as embedded mode does', async () => {
    const service = new DynamoDBService(silentLogger, { region_name: 'us-east-1', endpoint_url: testDynamoDBEndpoint() });
    try {
      await expect(service.tables.listTables()).resolves.toEqual(expect.any(Array));
    } finally {
      service.close();
    }
  });
});
