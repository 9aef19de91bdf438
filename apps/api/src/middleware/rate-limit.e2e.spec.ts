import { AccessTokenRepository } from '@vitals/repositories';
import { createHash } from 'node:crypto';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { expectProblem, unsignedToken } from '../test-support/route-fixtures.ts';

const LIMIT = 3;

/** `count` calls of an unauthenticated route (401s count as much as anything), each with `headers`. */
async function statuses(api: TestApi, count: number, options: Parameters<TestApi['call']>[2] = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let index = 0; index < count; index++) seen.push((await api.call('GET', '/v1/users/somebody/readings', options)).status);
  return seen;
}

/** The bucket a response was counted in, as the draft-8 `RateLimit-Policy` names it (a hash of the key). */
const bucketOf = (response: { headers: Headers }) => /pk=:([^:]+):/.exec(response.headers.get('ratelimit-policy') ?? '')?.[1];

describe('rate limiting', () => {
  describe('when TRUST_PROXY is not set', () => {
    let api: TestApi;
    // A fresh API per test: they all call from one loopback address, whose bucket must start empty.
    beforeEach(async () => {
      api = await startTestApi({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    });
    afterEach(async () => {
      await api.stop();
    });

    it('when X-Forwarded-For is sent, ignores it and prints no stack anywhere', async () => {
      const written: string[] = [];
      const spies = [
        jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
        jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
        jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
          written.push(String(chunk));
          return true;
        }),
      ];
      try {
        const seen = [
          ...(await statuses(api, 2, { headers: { 'x-forwarded-for': '198.51.100.1' } })),
          ...(await statuses(api, 2, { headers: { 'x-forwarded-for': '198.51.100.2' } })),
        ];
        // One socket address, one bucket, whatever the header claims.
        expect(seen).toEqual([401, 401, 401, 429]);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
      expect(written).toEqual([]);
      expect(api.logText()).not.toMatch(/\n\s+at |ValidationError|ERR_ERL/);
    });

    it('when two users call from one address, counts each user in a bucket of their own', async () => {
      const alice = await api.token('rl-alice');
      const bob = await api.token('rl-bob');
      const aliceCalls = [];
      for (let index = 0; index <= LIMIT; index++) aliceCalls.push(await api.call('GET', '/v1/users/rl-alice/readings', { token: alice }));
      expect(aliceCalls.map((response) => response.status)).toEqual([200, 200, 200, 429]);
      expectProblem(aliceCalls[LIMIT] as never, 429, 'rateLimited');

      const bobCall = await api.call('GET', '/v1/users/rl-bob/readings', { token: bob });
      expect(bobCall.status).toBe(200);
      expect(bucketOf(bobCall)).toEqual(expect.any(String));
      expect(bucketOf(bobCall)).not.toBe(bucketOf(aliceCalls[0] as never));
    });

    it("when a user calls with a JWT, an access token and that token's SHA-1 as api-secret, counts them all in that user's bucket", async () => {
      const jwt = await api.token('rl-pat');
      const { token } = await api.container.get(AccessTokenRepository).create('rl-pat', { name: 'phone', scopes: ['readings:read'] });
      const path = '/v1/users/rl-pat/readings';
      const calls = [
        await api.call('GET', path, { token: jwt }),
        await api.call('GET', path, { token }),
        // The Vitals routes take Bearer credentials only (401), but whose budget it spends is still the token's user's.
        await api.call('GET', path, { headers: { 'api-secret': createHash('sha1').update(token).digest('hex') } }),
        await api.call('GET', path, { token }),
      ];
      expect(calls.map((response) => response.status)).toEqual([200, 200, 401, 429]);
      expect(new Set(calls.map(bucketOf)).size).toBe(1);
      // The address's own bucket is untouched.
      expect((await api.call('GET', path)).status).toBe(401);
    });

    it('when an access token is revoked, counts its calls by address, not by the user it named', async () => {
      const tokens = api.container.get(AccessTokenRepository);
      const created = await tokens.create('rl-revoked', { name: 'old', scopes: ['readings:read'] });
      await tokens.revoke('rl-revoked', created.view.token_id);
      const calls = [];
      for (let index = 0; index <= LIMIT; index++) calls.push(await api.call('GET', '/v1/users/rl-revoked/readings', { token: created.token }));
      expect(calls.map((response) => response.status)).toEqual([401, 401, 401, 429]);
      const jwt = await api.token('rl-revoked');
      expect((await api.call('GET', '/v1/users/rl-revoked/readings', { token: jwt })).status).toBe(200);
    });

    it('when a token is forged, counts the call by address, not by the subject it claims', async () => {
      const forged = [];
      for (const user of ['rl-w', 'rl-x', 'rl-y', 'rl-z']) {
        forged.push(await api.call('GET', `/v1/users/${user}/readings`, { token: unsignedToken(user) }));
      }
      expect(forged.map((response) => response.status)).toEqual([401, 401, 401, 429]);
      expect(new Set(forged.slice(0, LIMIT).map(bucketOf)).size).toBe(1);
    });
  });

  describe('when TRUST_PROXY names the proxy in front (loopback here)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'loopback' } });
    });
    afterAll(async () => {
      await api.stop();
    });

    it('counts unauthenticated calls by the client address X-Forwarded-For gives', async () => {
      expect(await statuses(api, LIMIT + 1, { headers: { 'x-forwarded-for': '203.0.113.7' } })).toEqual([401, 401, 401, 429]);
      expect(await statuses(api, 1, { headers: { 'x-forwarded-for': '203.0.113.8' } })).toEqual([401]);
      // A client that forges a hop in front of the real one is still counted by what the trusted proxy saw.
      expect(await statuses(api, 1, { headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' } })).toEqual([429]);
    });
  });
});
