import { AccessTokenIdSchema, AccessTokenInputSchema, AccessTokenViewSchema, type AccessTokenInput } from '@vitals/models';
import { AccessTokenRepository } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { isAdmin, type Principal } from '../auth/scopes.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { UserPathSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const AccessTokenPathSchema = UserPathSchema.extend({ token_id: AccessTokenIdSchema });

/** The 201 of a creation: the token's text, this once, beside what is shown of it from now on. */
export const CreatedAccessTokenSchema = AccessTokenViewSchema.extend({
  token: z.string().describe('The token itself (`vat_…`): shown this once, stored only as a hash. Send it as `Authorization: Bearer vat_…`'),
});

/**
 * What a caller who is not an admin may grant: no scope it lacks itself,
 * and — when it calls with an access token that expires — no token that
 * outlives that one. An admin may grant anything, `admin` included.
 */
function checkGrant(principal: Principal, input: AccessTokenInput): void {
  if (isAdmin(principal)) return;
  const lacking = input.scopes.filter((scope) => !principal.scopes.has(scope));
  if (lacking.length > 0) {
    throw new ApiProblem('forbidden', `A token may grant only scopes it holds itself; this one lacks ${lacking.join(', ')}`);
  }
  const limit = principal.access_token?.expires_at;
  if (limit !== undefined && limit !== null && (input.expires_at === undefined || input.expires_at > limit)) {
    throw new ApiProblem('forbidden', `A token created with an access token may not outlive it: give an expires_at no later than ${limit}`);
  }
}

/**
 * `/v1/users/{user_id}/access-tokens`: personal access tokens, created by
 * their user or an admin, listed and revoked by id. The text of a token is
 * answered once, by the creation; nothing else ever shows it or its hash.
 */
export function accessTokensRoutes(container: Container): Route[] {
  const accessTokens = container.get(AccessTokenRepository);
  return [
    defineRoute({
      operationId: 'createAccessToken',
      method: 'post',
      path: '/v1/users/{user_id}/access-tokens',
      tag: 'access-tokens',
      summary: 'Create a personal access token',
      description:
        'Answers the token once, as `token`; it is stored only as a hash. It works as `Authorization: Bearer vat_…` on every route and ' +
        "as a Nightscout client's API secret. Unless the caller is an admin, the scopes must be ones the caller holds, and a token " +
        'created with an expiring access token may not outlive it.',
      scope: 'tokens:write',
      subject: 'path-user',
      params: UserPathSchema,
      body: AccessTokenInputSchema,
      example: { name: 'Caregiver (read only)', scopes: ['readings:read'], expires_at: '2099-01-01T00:00:00Z' },
      responses: { 201: { description: 'Created: the token, this once, and its metadata', schema: CreatedAccessTokenSchema } },
      handle: async ({ params, body, principal }) => {
        checkGrant(principal, body);
        const created = await accessTokens.create(params.user_id, body);
        return { status: 201, body: { ...created.view, token: created.token } };
      },
    }),
    defineRoute({
      operationId: 'listAccessTokens',
      method: 'get',
      path: '/v1/users/{user_id}/access-tokens',
      tag: 'access-tokens',
      summary: "A user's personal access tokens, oldest first (never the tokens themselves)",
      description: 'Every token the user holds (at most 100), expired ones too until they are purged 30 days after expiring.',
      scope: 'tokens:write',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 200: { description: 'Metadata only', schema: z.strictObject({ items: z.array(AccessTokenViewSchema) }) } },
      handle: async ({ params }) => ({ status: 200, body: { items: await accessTokens.list(params.user_id) } }),
    }),
    defineRoute({
      operationId: 'revokeAccessToken',
      method: 'delete',
      path: '/v1/users/{user_id}/access-tokens/{token_id}',
      tag: 'access-tokens',
      summary: 'Revoke a personal access token',
      description: 'The token fails from the next request on.',
      scope: 'tokens:write',
      subject: 'path-user',
      params: AccessTokenPathSchema,
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ params }) => {
        const revoked = await accessTokens.revoke(params.user_id, params.token_id);
        if (revoked === undefined) throw new ApiProblem('notFound', 'This user holds no access token with this id');
        return { status: 204 };
      },
    }),
  ];
}
