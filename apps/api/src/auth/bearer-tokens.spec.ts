import { SignJWT } from 'jose';
import { apiConfigFromEnv } from '../config/api-config.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import type { ResolvedAccessToken } from '@vitals/repositories';
import { BearerTokens, EXCHANGED_JWT_TTL_SECONDS, type AccessTokenPrincipal } from './bearer-tokens.ts';

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

    it('when the token is a JWT, the principal says when it expires (its exp) and carries no access token', async () => {
      const exp = now() + 600;
      const token = await new SignJWT({ scope: 'readings:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(exp).sign(key);
      const principal = await tokens.verify(`Bearer ${token}`);
      expect(principal.jwt).toEqual({ expires_at: new Date(exp * 1000).toISOString() });
      expect(principal.access_token).toBeUndefined();
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
      ['with an exp beyond any date', () => new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(1e15).sign(key)],
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

  describe('.exchange', () => {
    const TOKEN_ID = '0190a000-0000-7000-8000-000000000001';
    const stored: ResolvedAccessToken = { user_id: 'alice', scopes: ['readings:read'], token_id: TOKEN_ID, expires_at: null };
    /** A BearerTokens whose access token table holds `live` (or nothing), recording what it was asked. */
    function withTable(live: ResolvedAccessToken | undefined) {
      const asked: [string, string][] = [];
      const resolveById = async (userId: string, tokenId: string) => {
        asked.push([userId, tokenId]);
        return live !== undefined && live.user_id === userId && live.token_id === tokenId ? live : undefined;
      };
      return { asked, tokens: new BearerTokens(config, { resolve: async () => live, resolveById }) };
    }
    const principal = (expiresAt: string | null, scopes = ['readings:read']): AccessTokenPrincipal => ({
      user_id: 'alice',
      scopes: new Set(scopes),
      access_token: { token_id: TOKEN_ID, expires_at: expiresAt },
    });

    it('signs a JWT naming the access token that verifies, while the token is live, as its user with its scopes', async () => {
      const { tokens: table, asked } = withTable(stored);
      const { token, iat, exp } = await table.exchange(principal(null));
      expect(exp - iat).toBe(EXCHANGED_JWT_TTL_SECONDS);
      const verified = await table.verify(`Bearer ${token}`);
      expect({ user_id: verified.user_id, scopes: [...verified.scopes], access_token: verified.access_token }).toEqual({
        user_id: 'alice',
        scopes: ['readings:read'],
        access_token: { token_id: TOKEN_ID, expires_at: null },
      });
      expect(asked).toEqual([['alice', TOKEN_ID]]);
    });

    it("expires with the access token when that comes first, to the second below", async () => {
      const expiresAt = new Date(Date.now() + 60_500).toISOString();
      const { exp } = await withTable(stored).tokens.exchange(principal(expiresAt));
      expect(exp).toBe(Math.floor(Date.parse(expiresAt) / 1000));
    });

    it('refuses its JWT with 401 once the access token no longer resolves (revoked or expired)', async () => {
      const { token } = await withTable(stored).tokens.exchange(principal(null));
      const problem = await rejection(withTable(undefined).tokens, `Bearer ${token}`);
      expect(problem.kind).toBe('unauthorized');
      expect(problem.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('keeps only the scopes the access token still holds', async () => {
      const { token } = await withTable(stored).tokens.exchange(principal(null, ['readings:read', 'readings:write']));
      expect([...(await withTable(stored).tokens.verify(`Bearer ${token}`)).scopes]).toEqual(['readings:read']);
    });

    it('refuses a JWT whose tid is not a token id with 401, asking the table nothing', async () => {
      const { tokens: table, asked } = withTable(stored);
      const jwt = await new SignJWT({ scope: 'readings:read', tid: 'vat_not-an-id' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(now() + 60).sign(key);
      expect((await rejection(table, `Bearer ${jwt}`)).kind).toBe('unauthorized');
      expect(asked).toEqual([]);
    });
  });
});
