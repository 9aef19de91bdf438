import { TokenSha1Schema, UserIdSchema, isAccessTokenText } from '@vitals/models';
import type { Container } from 'inversify';
import { z } from 'zod';
import { BearerTokens, EXCHANGED_JWT_TTL_SECONDS } from '../auth/bearer-tokens.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { defineRoute, type Route } from './route.ts';

/** The exchange's answer, in Nightscout's shape: the JWT, whose it is, what it may do, and its lifetime (epoch seconds). */
const AuthorizationSchema = z.strictObject({
  token: z.string().describe('A JWT to send as `Authorization: Bearer …`; it dies with the access token it was exchanged for'),
  sub: UserIdSchema.describe("The access token's user"),
  permissionGroups: z.array(z.array(z.string())).describe("One group: the access token's scopes (Vitals scopes, not Nightscout permissions)"),
  iat: z.number().int().describe('Issued at, epoch seconds'),
  exp: z.number().int().describe(`Expires at, epoch seconds: ${EXCHANGED_JWT_TTL_SECONDS / 3600} hours on, or when the access token expires if sooner`),
});

/** The path carries the credential; whatever is not a live token (a JWT, a typo) is a 401, as in Nightscout, up to a bound. */
const AuthorizationPathSchema = z.strictObject({
  access_token: z.string().max(4096).describe('A personal access token (`vat_…`) or the lowercase hex SHA-1 of one'),
});

const REFUSED = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/**
 * Nightscout's `GET /api/v2/authorization/request/{accessToken}` at the
 * server root: the exchange nightscout-connect's Nightscout source and
 * AndroidAPS (API v3) sign in with. It takes a personal access token in the
 * path (as Nightscout takes its access tokens, or their SHA-1) and answers a
 * short-lived JWT for it, which every Bearer route accepts and which is
 * checked against the access token on each request: revoking or expiring the
 * access token ends it on the next one.
 */
export function nightscoutAuthorizationRoutes(container: Container): Route[] {
  const tokens = container.get(BearerTokens);
  return [
    defineRoute({
      operationId: 'nightscoutAuthorizationRequest',
      method: 'get',
      path: '/api/v2/authorization/request/{access_token}',
      tag: 'nightscout',
      summary: 'Exchange a personal access token for a short-lived JWT (Nightscout v2)',
      description:
        'Answers `{ token, sub, permissionGroups, iat, exp }` as Nightscout does: `token` is a JWT for the access token\'s user ' +
        `and scopes, valid for ${EXCHANGED_JWT_TTL_SECONDS / 3600} hours or until the access token expires, and refused from the ` +
        'next request on once the access token is revoked. The path takes the token (`vat_…`) or its SHA-1; nothing else is read ' +
        '(other credentials are ignored, query parameters too), and the path is never logged. An unknown, revoked or expired ' +
        'token is a 401, as in Nightscout.',
      public: true,
      subject: 'handler',
      params: AuthorizationPathSchema,
      query: z.looseObject({}),
      responses: { 200: { description: 'The JWT and its lifetime', schema: AuthorizationSchema, headers: { 'Cache-Control': '`no-store`' } } },
      problems: { 401: 'The access token is unknown, revoked or expired, or is neither a `vat_…` token nor a SHA-1' },
      handle: async ({ params }) => {
        const given = params.access_token;
        const credential = isAccessTokenText(given) ? { token: given } : TokenSha1Schema.safeParse(given).success ? { sha1: given } : undefined;
        if (credential === undefined) {
          throw new ApiProblem('unauthorized', 'The access token is neither a personal access token (vat_…) nor the lowercase hex SHA-1 of one', undefined, REFUSED);
        }
        const principal = await tokens.verifyAccessToken(credential);
        const { token, iat, exp } = await tokens.exchange(principal);
        return {
          status: 200,
          body: { token, sub: principal.user_id, permissionGroups: [[...principal.scopes]], iat, exp },
          headers: { 'Cache-Control': 'no-store' },
          subject: principal.user_id,
        };
      },
    }),
  ];
}
