import type { EnvLike } from '@vitals/dynamodb-core';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import type { Clock } from '@vitals/repositories';
import type { Container } from 'inversify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { BearerTokens } from '../auth/bearer-tokens.ts';
import { SCOPES, type Scope } from '../auth/scopes.ts';
import type { ApiConfig } from '../config/api-config.ts';
import { startServer } from '../server.ts';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

/**
 * Dexcom variables for a test API that never reaches Dexcom: its connect
 * routes answer (rather than 503 "not configured"), and the base URL is a
 * loopback port nothing listens on, so a call that did go out would fail.
 */
export const UNCALLED_DEXCOM_ENV = {
  DEXCOM_CLIENT_ID: 'vitals-test-client',
  DEXCOM_CLIENT_SECRET: 'uncalled-dexcom-client-secret',
  DEXCOM_BASE_URL: 'http://127.0.0.1:9',
  DEXCOM_REDIRECT_URI: 'http://vitals.test/v1/connections/dexcom/callback',
} as const;

/** Every scope but `admin`: what an ordinary user's app would hold. */
export const USER_SCOPES: readonly Scope[] = SCOPES.filter((scope) => scope !== 'admin');

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON (problem+json included), else the text. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on response fields directly
  body: any;
}

export interface CallOptions {
  token?: string;
  /** Serialised as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Sent as is (no Content-Type unless given in headers). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  url: string;
  config: ApiConfig;
  container: Container;
  /** A bearer token for `userId` (default every scope but admin), signed with the test secret. */
  token(userId: string, scopes?: readonly Scope[], ttlSeconds?: number): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Every log line written so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Raw log text, to assert what never appears in it. */
  logText(): string;
  stop(): Promise<void>;
}

export interface TestApiOptions {
  /** Extra or overriding environment variables. */
  env?: EnvLike;
  clock?: Clock;
}

/**
 * The API as `npm start` builds it (`startServer`), over the test run's
 * DynamoDB Local with tables under a prefix of its own, listening on a free
 * loopback port, its logs kept in memory.
 */
export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const server = await startServer(
    {
      DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TABLE_PREFIX: `api-${randomUUID().slice(0, 8)}-`,
      API_JWT_SECRET: TEST_JWT_SECRET,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    { announce: () => undefined, logDestination: sink as never, clock: options.clock },
  );
  const tokens = server.container.get(BearerTokens);

  return {
    url: server.url,
    config: server.config,
    container: server.container,
    token: (userId, scopes = USER_SCOPES, ttlSeconds = 3600) => tokens.issue(userId, scopes, ttlSeconds),
    call: async (method, path, call = {}) => {
      const headers: Record<string, string> = { ...call.headers };
      if (call.token !== undefined) headers['authorization'] = `Bearer ${call.token}`;
      let body: string | undefined = call.rawBody;
      if (call.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(call.body);
      }
      const response = await fetch(`${server.url}${path}`, { method, headers, body });
      const raw = await response.text();
      const isJson = /json/.test(response.headers.get('content-type') ?? '');
      return { status: response.status, headers: response.headers, body: isJson && raw !== '' ? JSON.parse(raw) : raw };
    },
    logs: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    logText: () => text,
    stop: () => server.stop(),
  };
}
