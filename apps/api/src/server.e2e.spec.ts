import { findFreePort, startLocalDynamoDB, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BearerTokens } from './auth/bearer-tokens.ts';
import { startServer, type RunningServer } from './server.ts';
import { USER_SCOPES } from './test-support/test-api.ts';

jest.setTimeout(120_000);

const reading = (minute: number) => ({
  timestamp: new Date(Date.UTC(2026, 5, 1, 12, minute)).toISOString(),
  glucose_value: 100 + minute,
  device_info: { device_id: 'g7', serial_number: 'SN1' },
});

describe('startServer', () => {
  let dataDir: string;
  let dynamoPort: number;
  let local: LocalDynamoDB | undefined;
  let server: RunningServer | undefined;
  let token: string;

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server?.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'api-server-'));
    dynamoPort = await findFreePort();
    local = await startLocalDynamoDB({ port: dynamoPort, dataDir: join(dataDir, 'dynamodb') });
    server = await startServer(
      {
        DYNAMODB_ENDPOINT: local.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        VITALS_DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        API_JWT_SECRET: randomBytes(32).toString('base64url'),
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      { announce: () => undefined },
    );
    token = await server.container.get(BearerTokens).issue('alice', USER_SCOPES, 600);
  });

  afterEach(async () => {
    await server?.stop();
    await local?.stop();
  });

  describe('when DynamoDB stops while the app runs', () => {
    it('answers 503 problem+json and stays up, then recovers without a restart once DynamoDB is back', async () => {
      expect((await call('/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(reading(0)) })).status).toBe(201);

      await local?.stop();
      const ready = await call('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      for (const [path, init] of [
        ['/v1/users/alice/readings', {}],
        ['/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(reading(5)) }],
        ['/v1/users/alice/readings/stats', {}],
      ] as const) {
        const response = await call(path, init);
        expect(response.status).toBe(503);
        const problem = await response.json();
        expect(problem).toMatchObject({ status: 503, title: 'Service unavailable' });
        expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|stack|at \w+ \(/);
      }
      expect((await fetch(`${server?.url}/healthz`)).status).toBe(200);

      local = await startLocalDynamoDB({ port: dynamoPort, dataDir: join(dataDir, 'dynamodb') });
      expect((await call('/readyz')).status).toBe(200);
      const listed = await call('/v1/users/alice/readings');
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { items: unknown[] }).items).toMatchObject([{ timestamp: reading(0).timestamp }]);
    });
  });

  describe('.stop', () => {
    it('lets a request already in flight finish, then refuses new connections', async () => {
      // The server stops on the request's arrival, so any batch is in flight then; a small one keeps its
      // write well inside the 10 s grace even on a loaded 2-core machine (500 readings took up to 17 s).
      const batch = Array.from({ length: 50 }, (_, minute) => reading(minute));
      let stopping: Promise<void> | undefined;
      server?.http.once('request', () => {
        stopping = server?.stop();
      });
      const response = await call('/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(batch) });
      expect(response.status).toBe(201);
      expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(50);
      await stopping;
      await expect(fetch(`${server?.url}/healthz`)).rejects.toThrow();
    });
  });
});
