import { ACCESS_TOKEN_PREFIX, UserIdSchema } from '@vitals/models';
import { AccessTokenRepository, type AccessTokenCredential } from '@vitals/repositories';
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
const ClaimsSchema = z.object({ sub: UserIdSchema, scope: z.string().max(4096) });

/** What verifying an access token needs of the repository. */
export type AccessTokenResolver = Pick<AccessTokenRepository, 'resolve'>;

/**
 * Issues and verifies the API's bearer tokens: HS256 JWTs with `sub`,
 * `scope` and a required `exp`, and personal access tokens (`vat_…`), which
 * the access tokens table resolves on every request, so a revoked one fails
 * on the next.
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
  async verifyAccessToken(credential: AccessTokenCredential): Promise<Principal> {
    const resolved = await this.accessTokens.resolve(credential);
    if (resolved === undefined) {
      throw new ApiProblem('unauthorized', 'The access token is invalid, expired or revoked', undefined, INVALID_TOKEN);
    }
    return {
      user_id: resolved.user_id,
      scopes: new Set(resolved.scopes),
      access_token: { token_id: resolved.token_id, expires_at: resolved.expires_at },
    };
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
      throw new ApiProblem('unauthorized', 'The bearer token lacks a valid sub or scope claim', undefined, INVALID_TOKEN);
    }
    return { user_id: claims.data.sub, scopes: new Set(claims.data.scope.split(' ').filter(Boolean)) };
  }
}
