import { ACCESS_TOKEN_PREFIX, AccessTokenIdSchema, UserIdSchema } from '@vitals/models';
import { AccessTokenRepository, type AccessTokenCredential, type ResolvedAccessToken } from '@vitals/repositories';
import { inject, injectable } from 'inversify';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { API_TOKENS } from '../container/tokens.ts';
import type { ApiConfig } from '../config/api-config.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import type { Principal, Scope } from './scopes.ts';

const ALGORITHM = 'HS256';
/** RFC 6750 §3: a 401 names the scheme, and says when a token was sent but refused. */
const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };
const INVALID_TOKEN = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
const ClaimsSchema = z.object({
  sub: UserIdSchema,
  scope: z.string().max(4096),
  tid: AccessTokenIdSchema.optional(),
  exp: z.number().max(8_640_000_000_000),
});
const REFUSED_ACCESS_TOKEN = 'The access token is invalid, expired or revoked';

/** The longest a JWT exchanged for an access token lives (Nightscout's own lifetime for the same exchange): 8 hours. */
export const EXCHANGED_JWT_TTL_SECONDS = 8 * 3600;

/** What verifying an access token needs of the repository: by its text or SHA-1, and by id for a JWT exchanged for one. */
export type AccessTokenResolver = Pick<AccessTokenRepository, 'resolve' | 'resolveById'>;

/** A principal whose credential is a personal access token. */
export type AccessTokenPrincipal = Principal & { readonly access_token: NonNullable<Principal['access_token']> };

/** A JWT exchanged for an access token, with its issue and expiry times (epoch seconds). */
export interface ExchangedJwt {
  token: string;
  iat: number;
  exp: number;
}

/**
 * Issues and verifies the API's bearer tokens: HS256 JWTs with `sub`,
 * `scope` and a required `exp`, and personal access tokens (`vat_…`), which
 * the access tokens table resolves on every request, so a revoked one fails
 * on the next. A JWT exchanged for an access token (`exchange`) names it in
 * a `tid` claim and is checked against the table on every request too, so it
 * dies with the access token.
 */
@injectable()
export class BearerTokens {
  private readonly secret: Uint8Array;

  constructor(
    @inject(API_TOKENS.Config) config: ApiConfig,
    @inject(AccessTokenRepository) private readonly accessTokens: AccessTokenResolver,
  ) {
    this.secret = config.jwt_secret;
  }

  /** A signed token for `userId` with `scopes`, valid for `ttlSeconds`. */
  async issue(userId: string, scopes: readonly Scope[], ttlSeconds: number): Promise<string> {
    return new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.secret);
  }

  /**
   * A JWT for the access token `principal` holds (Nightscout's
   * `/api/v2/authorization/request/{token}` exchange): its user as `sub`,
   * its scopes, its id as `tid`, expiring after
   * {@link EXCHANGED_JWT_TTL_SECONDS} or when the access token does, whichever
   * is first. It stops working as soon as the access token is revoked.
   */
  async exchange(principal: AccessTokenPrincipal): Promise<ExchangedJwt> {
    const iat = Math.floor(Date.now() / 1000);
    const expiresAt = principal.access_token.expires_at;
    const exp = Math.min(iat + EXCHANGED_JWT_TTL_SECONDS, expiresAt === null ? Infinity : Math.floor(Date.parse(expiresAt) / 1000));
    const token = await new SignJWT({ scope: [...principal.scopes].join(' '), tid: principal.access_token.token_id })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(principal.user_id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.secret);
    return { token, iat, exp };
  }

  /**
   * The principal of an `Authorization` header value; a 401 problem when it is
   * missing, not `Bearer`, badly signed, expired, revoked, or lacks
   * `sub`/`exp`. Why a token failed is logged by nobody and told to nobody
   * beyond "invalid".
   */
  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization?.trim() ?? '');
    if (match === null) {
      throw new ApiProblem('unauthorized', 'Send a bearer token: Authorization: Bearer <JWT or access token>', undefined, CHALLENGE);
    }
    const token = match[1] as string;
    return token.startsWith(ACCESS_TOKEN_PREFIX) ? this.verifyAccessToken({ token }) : this.verifyJwt(token);
  }

  /**
   * The principal of a personal access token, given as its text or as the
   * SHA-1 of its text (a Nightscout `api-secret`); a 401 problem when it is
   * unknown, revoked or expired.
   */
  async verifyAccessToken(credential: AccessTokenCredential): Promise<AccessTokenPrincipal> {
    const resolved = await this.accessTokens.resolve(credential);
    if (resolved === undefined) throw new ApiProblem('unauthorized', REFUSED_ACCESS_TOKEN, undefined, INVALID_TOKEN);
    return principalOfAccessToken(resolved, resolved.scopes);
  }

  private async verifyJwt(token: string): Promise<Principal> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        algorithms: [ALGORITHM],
        requiredClaims: ['sub', 'exp'],
      }));
    } catch {
      throw new ApiProblem('unauthorized', 'The bearer token is invalid or expired', undefined, INVALID_TOKEN);
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new ApiProblem('unauthorized', 'The bearer token lacks a valid sub or scope claim, or has an invalid tid', undefined, INVALID_TOKEN);
    }
    const scopes = claims.data.scope.split(' ').filter(Boolean);
    const jwt = { expires_at: new Date(claims.data.exp * 1000).toISOString() };
    if (claims.data.tid === undefined) return { user_id: claims.data.sub, scopes: new Set(scopes), jwt };
    // Exchanged for an access token: valid only while that token is (its key from the user index, then a consistent read), with no scope it has lost.
    const resolved = await this.accessTokens.resolveById(claims.data.sub, claims.data.tid);
    if (resolved === undefined) throw new ApiProblem('unauthorized', REFUSED_ACCESS_TOKEN, undefined, INVALID_TOKEN);
    return { ...principalOfAccessToken(resolved, scopes), jwt };
  }
}

/** The principal of a live access token, with those of `scopes` the token still carries. */
function principalOfAccessToken(resolved: ResolvedAccessToken, scopes: readonly string[]): AccessTokenPrincipal {
  const held = new Set<string>(resolved.scopes);
  return {
    user_id: resolved.user_id,
    scopes: new Set(scopes.filter((scope) => held.has(scope))),
    access_token: { token_id: resolved.token_id, expires_at: resolved.expires_at },
  };
}
