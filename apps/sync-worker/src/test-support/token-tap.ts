import type { FetchLike } from '@vitals/dexcom-client';

/**
 * Sees every token the simulator's token endpoint issues through the fetch
 * it wraps (the answer is cloned; the caller gets it untouched), so a test
 * can look for each of them where none may be: logs, job and connection
 * records, metrics.
 */
export class TokenTap {
  private readonly seen = new Set<string>();
  /** Refresh tokens in the order they were issued. */
  readonly refreshTokens: string[] = [];

  /** Every access and refresh token issued so far. */
  get tokens(): string[] {
    return [...this.seen];
  }

  fetch(next: FetchLike = (input, init) => fetch(input, init)): FetchLike {
    return async (input, init) => {
      const response = await next(input, init);
      if (new URL(input).pathname === '/v2/oauth2/token' && response.ok) {
        const body = (await response.clone().json()) as { access_token?: unknown; refresh_token?: unknown };
        for (const token of [body.access_token, body.refresh_token]) if (typeof token === 'string') this.seen.add(token);
        if (typeof body.refresh_token === 'string') this.refreshTokens.push(body.refresh_token);
      }
      return response;
    };
  }
}
