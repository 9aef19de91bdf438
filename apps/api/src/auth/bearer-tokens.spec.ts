import { SignJWT } from 'jose';
import { apiConfigFromEnv } from '../config/api-config.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { BearerTokens } from './bearer-tokens.ts';

const SECRET = 'bearer-token-test-secret-0123456789abcdef';
const config = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

async function rejection(tokens: BearerTokens, header: string | undefined): Promise<ApiProblem> {
  try {
    await tokens.verify(header);
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe(BearerTokens.name, () => {
  // No access token is stored here: the access-token forms are proven end to end (access-tokens.auth.e2e.spec.ts).
  const tokens = new BearerTokens(config, { resolve: async () => undefined, resolveById: async () => undefined });

  describe('.verify', () => {
    it('when the token was issued here, returns its user and scopes', async () => {
      const token = await tokens.issue('alice', ['readings:read', 'health:read'], 60);
      const principal = await tokens.verify(`Bearer ${token}`);
      expect(principal.user_id).toBe('alice');
      expect([...principal.scopes].sort()).toEqual(['health:read', 'readings:read']);
    });

    it.each([
      ['no header', undefined],
      ['another scheme', 'Basic YWxpY2U6cGFzcw=='],
      ['garbage', 'Bearer not-a-jwt'],
    ])('when there is %s, refuses with 401 and a Bearer challenge', async (_case, header) => {
      const problem = await rejection(tokens, header);
      expect(problem.kind).toBe('unauthorized');
      expect(problem.headers['WWW-Authenticate']).toMatch(/^Bearer\b/);
    });

    it.each([
      ['expired', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now() - 120).sign(key)],
      ['without exp', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').sign(key)],
      ['without sub', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now() + 60).sign(key)],
      ['signed with another secret', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now() + 60).sign(new TextEncoder().encode('x'.repeat(40)))],
      ['signed with HS512', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS512' }).setSubject('a').setExpirationTime(now() + 60).sign(new Uint8Array(64).fill(1))],
      ['with a numeric scope', () => new SignJWT({ scope: 7 }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(now() + 60).sign(key)],
    ])('when the token is %s, refuses with 401', async (_case, make) => {
      const problem = await rejection(tokens, `Bearer ${await make()}`);
      expect(problem.kind).toBe('unauthorized');
      expect(problem.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('when the token is unsigned (alg none), refuses with 401', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'a', scope: 'admin', exp: now() + 60 })).toString('base64url');
      expect((await rejection(tokens, `Bearer ${header}.${payload}.`)).kind).toBe('unauthorized');
    });
  });
});
