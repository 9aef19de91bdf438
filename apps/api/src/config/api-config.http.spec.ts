import { VitalsError } from '@vitals/dynamodb-core';
import { randomBytes } from 'node:crypto';
import { apiConfigFromEnv } from './api-config.ts';
import { parseTrustProxy } from './trust-proxy.ts';

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
  it('when nothing is set, trusts no proxy and bounds headers to 10 s and the whole request to 30 s', () => {
    expect(apiConfigFromEnv(BASE)).toMatchObject({ trust_proxy: false, http_headers_timeout_ms: 10_000, http_request_timeout_ms: 30_000 });
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

  it.each([
    ['a hop count', '1', 1],
    ['false', 'false', false],
    ['a subnet list with a preset', 'loopback, 10.0.0.0/8,fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
  ])('when TRUST_PROXY is %s, passes it to Express as such', (_label, raw, expected) => {
    expect(apiConfigFromEnv({ ...BASE, TRUST_PROXY: raw }).trust_proxy).toEqual(expected);
  });

  it('when TRUST_PROXY is bad, names it', () => {
    expect(issuesOf({ TRUST_PROXY: '10.0.0.0/33' }).map((issue) => issue.path)).toEqual(['TRUST_PROXY']);
  });
});

describe(parseTrustProxy.name, () => {
  it.each([undefined, '', ' ', 'false', '0'])('when it is %p, trusts nobody', (raw) => {
    expect(parseTrustProxy(raw)).toEqual({ value: false });
  });

  it.each(['loopback', 'linklocal,uniquelocal', '192.0.2.1', '192.0.2.0/24', '192.0.2.0/255.255.255.0', '2001:db8::/32', '::1'])(
    'when it is %s, accepts it',
    (raw) => {
      expect(parseTrustProxy(raw)).toEqual({ value: raw.split(',') });
    },
  );

  it('when it is true, refuses it: any client could then choose its rate-limit bucket', () => {
    expect(parseTrustProxy('true')).toEqual({ message: expect.stringContaining("trust any client's X-Forwarded-For") });
  });

  it.each(['proxy.example.com', '10.0.0.0/33', '2001:db8::/129', '300.1.1.1', '10.0.0.0/8/8', '101'])('when it is %s, refuses it', (raw) => {
    expect(parseTrustProxy(raw)).toEqual({ message: expect.any(String) });
  });
});
