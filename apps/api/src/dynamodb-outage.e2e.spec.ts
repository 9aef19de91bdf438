import { dynamoDBLocalProcesses, findFreePort, startLocalDynamoDB, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { randomBytes } from 'node:crypto';
import { BearerTokens } from './auth/bearer-tokens.ts';
import { startServer, type RunningServer } from './server.ts';
import { USER_SCOPES } from './test-support/test-api.ts';

jest.setTimeout(180_000);

const reading = (minute: number) => ({
  timestamp: new Date(Date.UTC(2026, 5, 1, 12, minute)).toISOString(),
  glucose_value: 100 + minute,
  device_info: { device_id: 'g7', serial_number: 'SN1' },
});

const TABLES_FIX = 'npm run migrate -- tables apply';

/** The JVM serving `port`: the test stops and resumes it with signals to play a hung database. */
function dynamoDBLocalPidOn(port: number): number {
  const [java] = dynamoDBLocalProcesses(port);
  if (java === undefined) throw new Error(`no DynamoDB Local process listens on port ${port}`);
  return java.pid;
}

interface Answer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
  elapsedMs: number;
}

/**
 * The API on a DynamoDB Local of the test's own (in memory, its tables
 * created at start), with a URL endpoint on loopback and no AWS credentials
 * given, as a developer would run it.
 */
describe('the API when DynamoDB fails under it', () => {
  let local: LocalDynamoDB | undefined;
  let server: RunningServer | undefined;
  let token: string;
  let stoppedPid: number | undefined;

  async function start(): Promise<void> {
    const port = await findFreePort();
    local = await startLocalDynamoDB({ port });
    server = await startServer(
      {
        DYNAMODB_ENDPOINT: local.endpoint,
        PORT: '0',
        LOG_LEVEL: 'silent',
        API_JWT_SECRET: randomBytes(32).toString('base64url'),
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      { announce: () => undefined },
    );
    token = await server.container.get(BearerTokens).issue('alice', USER_SCOPES, 600);
  }

  /** One request; fails the test if no answer comes within `deadlineMs` (a hang), whatever the status. */
  async function answer(path: string, init: RequestInit = {}, deadlineMs = 30_000): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${server?.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(deadlineMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      elapsedMs: performance.now() - started,
    };
  }

  afterEach(async () => {
    if (stoppedPid !== undefined) process.kill(stoppedPid, 'SIGCONT');
    stoppedPid = undefined;
    await server?.stop();
    await local?.stop();
  });

  describe('when DynamoDB hangs (its process stopped with SIGSTOP)', () => {
    it('answers readiness and data requests with 503 problem+json within seconds, and recovers once it resumes', async () => {
      await start();
      expect((await answer('/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(reading(0)) })).status).toBe(201);

      stoppedPid = dynamoDBLocalPidOn(local?.port as number);
      process.kill(stoppedPid, 'SIGSTOP');

      const answers = await Promise.all([
        answer('/readyz'),
        answer('/v1/users/alice/readings'),
        answer('/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(reading(5)) }),
        answer('/v1/users/alice/readings/latest'),
      ]);
      for (const hung of answers) {
        expect({ status: hung.status, contentType: hung.contentType, type: hung.body['type'] }).toEqual({
          status: 503,
          contentType: expect.stringMatching(/^application\/problem\+json/),
          type: 'urn:vitals:problem:unavailable',
        });
      }
      // Generous bounds that prove "does not hang", not a speed: readiness answers within its own 3 s deadline,
      // data routes within the default 8 s operation budget (one operation each: a POST's read fails first).
      expect(answers[0]?.elapsedMs).toBeLessThan(10_000);
      expect(Math.max(...answers.map((hung) => hung.elapsedMs))).toBeLessThan(12_000);
      expect((await fetch(`${server?.url}/healthz`)).status).toBe(200);

      process.kill(stoppedPid, 'SIGCONT');
      stoppedPid = undefined;
      const deadline = Date.now() + 30_000;
      let ready = await answer('/readyz');
      while (ready.status !== 200 && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 200));
        ready = await answer('/readyz');
      }
      expect(ready.status).toBe(200);
      // Stored before the hang; the write that timed out may have landed once DynamoDB resumed (a 503
      // after a timeout cannot say), which is why POST readings is idempotent and safe to retry.
      const listed = await answer('/v1/users/alice/readings');
      expect(listed.body['items']).toEqual(expect.arrayContaining([expect.objectContaining({ timestamp: reading(0).timestamp })]));
    });
  });

  describe('when the tables are missing (a fresh DynamoDB Local on the same port)', () => {
    it('says not ready with 503 naming the fix, and data routes answer 503 naming it too', async () => {
      await start();
      expect((await answer('/readyz')).status).toBe(200);
      const port = local?.port as number;
      await local?.stop();
      local = await startLocalDynamoDB({ port });

      const ready = await answer('/readyz');
      expect({ status: ready.status, type: ready.body['type'] }).toEqual({ status: 503, type: 'urn:vitals:problem:tablesMissing' });
      expect(ready.contentType).toMatch(/^application\/problem\+json/);
      expect(ready.body['detail']).toContain(TABLES_FIX);
      expect(ready.body['detail']).toContain('bg_readings');

      for (const [path, init] of [
        ['/v1/users/alice/readings', {}],
        ['/v1/users/alice/readings', { method: 'POST', body: JSON.stringify(reading(5)) }],
        ['/v1/users/alice/readings', { method: 'POST', body: JSON.stringify([reading(10), reading(15)]) }],
        ['/v1/users/alice/tokens/dexcom', {}],
      ] as const) {
        const missing = await answer(path, init);
        expect({ call: `${init.method ?? 'GET'} ${path}`, status: missing.status, type: missing.body['type'] }).toEqual({
          call: `${init.method ?? 'GET'} ${path}`,
          status: 503,
          type: 'urn:vitals:problem:tablesMissing',
        });
        expect(missing.body['detail']).toContain(TABLES_FIX);
      }
    });
  });
});
