import { randomBytes } from 'node:crypto';
import { uuidFrom } from './seeded-random.ts';

/**
 * The authorization server's memory: authorization codes, the grants they
 * start, and the access and refresh tokens of each grant.
 *
 * - A code is single-use and short-lived; using one twice revokes what it
 *   issued, as OAuth 2.0 asks of an authorization server.
 * - Refresh tokens rotate: every refresh returns a new one and spends the old.
 *   A spent, revoked or unknown refresh token is OAuth's `invalid_grant`;
 *   with `revokeGrantOnRefreshReuse` a reuse also ends the grant, as
 *   servers with reuse detection do.
 * - Access tokens live `expires_in` seconds of the simulator's clock.
 */

/** The token endpoint's success body: Dexcom's documented fields, then the extra ones its v3 example response has. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token: string;
  refresh_expires_in: number;
  'not-before-policy': number;
  session_state: string;
}

/** An OAuth token-endpoint error and the status it is sent with. */
export interface OAuthError {
  status: 400 | 401;
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';
  error_description: string;
}

export interface OAuthSettings {
  accessTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
  revokeGrantOnRefreshReuse: boolean;
}

interface Grant {
  id: string;
  login: string;
  clientId: string;
  revoked: boolean;
}

interface AuthorizationCode {
  login: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
  grant?: Grant;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  grant: Grant;
  spent: boolean;
}

/** Who an access token speaks for, or why it does not. */
export type AccessCheck = { ok: true; login: string; clientId: string } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

export class OAuthState {
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #accessTokens = new Map<string, AccessToken>();
  readonly #refreshTokens = new Map<string, RefreshToken>();
  readonly #grants: Grant[] = [];

  constructor(
    private readonly now: () => number,
    private readonly settings: OAuthSettings,
  ) {}

  /** A code for the login page to hand back through the redirect. */
  issueCode(login: string, clientId: string, redirectUri: string): string {
    const code = opaque();
    this.#codes.set(code, { login, clientId, redirectUri, expiresAt: this.now() + this.settings.authorizationCodeTtlSeconds * 1000 });
    return code;
  }

  exchangeCode(code: string, clientId: string, redirectUri: string | undefined): TokenResponse | OAuthError {
    const issued = this.#codes.get(code);
    if (!issued || issued.clientId !== clientId) return invalidGrant('the authorization code is unknown');
    if (issued.grant) {
      this.#revoke(issued.grant);
      return invalidGrant('the authorization code was already used; the tokens it issued are revoked');
    }
    if (this.now() >= issued.expiresAt) return invalidGrant('the authorization code has expired');
    if (redirectUri !== issued.redirectUri) return invalidGrant('redirect_uri differs from the one the code was issued for');
    const grant: Grant = { id: uuidFrom('grant', opaque()), login: issued.login, clientId, revoked: false };
    this.#grants.push(grant);
    issued.grant = grant;
    return this.#tokens(grant);
  }

  refresh(refreshToken: string, clientId: string): TokenResponse | OAuthError {
    const stored = this.#refreshTokens.get(refreshToken);
    if (!stored || stored.grant.clientId !== clientId) return invalidGrant('the refresh token is unknown');
    if (stored.grant.revoked) return invalidGrant('the refresh token has been revoked');
    if (stored.spent) {
      if (this.settings.revokeGrantOnRefreshReuse) this.#revoke(stored.grant);
      return invalidGrant('the refresh token was already used: refresh tokens are single-use');
    }
    stored.spent = true;
    return this.#tokens(stored.grant);
  }

  check(accessToken: string): AccessCheck {
    const stored = this.#accessTokens.get(accessToken);
    if (!stored) return { ok: false, reason: 'invalid' };
    if (stored.grant.revoked) return { ok: false, reason: 'revoked' };
    if (this.now() >= stored.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, login: stored.grant.login, clientId: stored.grant.clientId };
  }

  /** The client an access token was issued to, valid or not: what the hourly rate limit counts against. */
  clientOf(accessToken: string): string | undefined {
    return this.#accessTokens.get(accessToken)?.grant.clientId;
  }

  /** Makes every unexpired access token (of one login, or all) expire now. Returns how many. */
  expireAccessTokens(login?: string): number {
    const now = this.now();
    let count = 0;
    for (const token of this.#accessTokens.values()) {
      if ((login === undefined || token.grant.login === login) && token.expiresAt > now) {
        token.expiresAt = now;
        count++;
      }
    }
    return count;
  }

  /** Revokes every unspent refresh token (of one login, or all): refreshing is then `invalid_grant`. Returns how many. */
  revokeRefreshTokens(login?: string): number {
    let count = 0;
    for (const [token, stored] of this.#refreshTokens) {
      if ((login === undefined || stored.grant.login === login) && !stored.spent) {
        this.#refreshTokens.set(token, { ...stored, spent: true, grant: { ...stored.grant, revoked: true } });
        count++;
      }
    }
    return count;
  }

  #tokens(grant: Grant): TokenResponse {
    const accessToken = opaque();
    const refreshToken = opaque();
    this.#accessTokens.set(accessToken, { grant, expiresAt: this.now() + this.settings.accessTokenTtlSeconds * 1000 });
    this.#refreshTokens.set(refreshToken, { grant, spent: false });
    return {
      access_token: accessToken,
      expires_in: this.settings.accessTokenTtlSeconds,
      token_type: 'Bearer',
      refresh_token: refreshToken,
      refresh_expires_in: 0,
      'not-before-policy': 0,
      session_state: grant.id,
    };
  }

  #revoke(grant: Grant): void {
    grant.revoked = true;
  }
}

function opaque(): string {
  return randomBytes(32).toString('base64url');
}

function invalidGrant(description: string): OAuthError {
  return { status: 400, error: 'invalid_grant', error_description: description };
}
