import { VitalsError } from '@vitals/dynamodb-core';
import { randomBytes } from 'node:crypto';
import { apiConfigFromEnv } from './api-config.ts';

const BASE = { API_JWT_SECRET: 'a-production-secret-of-at-least-32-chars', TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64') };

function issuesOf(env: Record<string, string>): { path: string; message: string }[] {
  try {
    apiConfigFromEnv({ ...BASE, ...env });
  } catch (error) {
    if (VitalsError.is(error, 'config.invalid')) return error.details.issues;
    throw error;
  }
  throw new Error('expected config.invalid');
}

describe('apiConfigFromEnv: HTTP settings', () => {
  it('when nothing is set, bounds headers to 10 s and the whole request to 30 s', () => {
    expect(apiConfigFromEnv(BASE)).toMatchObject({ http_headers_timeout_ms: 10_000, http_request_timeout_ms: 30_000 });
  });

  it('when the timeouts are set, uses them', () => {
    const config = apiConfigFromEnv({ ...BASE, HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '5000' });
    expect(config).toMatchObject({ http_headers_timeout_ms: 2_000, http_request_timeout_ms: 5_000 });
  });

  it('when the headers may take longer than the whole request, names HTTP_HEADERS_TIMEOUT_MS', () => {
    expect(issuesOf({ HTTP_HEADERS_TIMEOUT_MS: '9000', HTTP_REQUEST_TIMEOUT_MS: '5000' }).map((issue) => issue.path)).toEqual(['HTTP_HEADERS_TIMEOUT_MS']);
  });

  it('when a timeout is not a number, names it', () => {
    expect(issuesOf({ HTTP_REQUEST_TIMEOUT_MS: 'soon' })).toEqual([
      { path: 'HTTP_REQUEST_TIMEOUT_MS', message: 'must be an integer 100..3600000 (got "soon")' },
    ]);
  });
});
