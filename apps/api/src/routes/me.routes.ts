import { UserIdSchema } from '@vitals/models';
import { z } from 'zod';
import type { Principal } from '../auth/scopes.ts';
import { defineRoute, type Route } from './route.ts';

/** `GET /v1/me`: who the credential speaks for — never the credential itself or its hash. */
export const MeSchema = z.strictObject({
  user_id: UserIdSchema.describe('The user the credential acts as: `/v1/users/{user_id}/…` paths of this user are its own'),
  scopes: z.array(z.string()).describe('The scopes the credential carries, sorted'),
  credential: z.enum(['jwt', 'access_token']).describe('A signed JWT, or a personal access token (`vat_…`)'),
  expires_at: z.string().optional().describe('When the credential stops being accepted; absent for an access token that never expires'),
});

export type Me = z.output<typeof MeSchema>;

/** What `GET /v1/me` answers for a verified principal: a JWT exchanged for an access token is a JWT, expiring with the earlier of the two. */
export function meOf(principal: Principal): Me {
  const expiries = [principal.jwt?.expires_at, principal.access_token?.expires_at].filter((at): at is string => typeof at === 'string');
  const expiresAt = expiries.sort()[0];
  return {
    user_id: principal.user_id,
    scopes: [...principal.scopes].sort(),
    credential: principal.jwt !== undefined ? 'jwt' : 'access_token',
    ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  };
}

/**
 * `/v1/me`: any valid credential may ask whom it belongs to — the dashboard
 * signs in with a pasted access token alone this way.
 */
export function meRoutes(): Route[] {
  return [
    defineRoute({
      operationId: 'whoAmI',
      method: 'get',
      path: '/v1/me',
      tag: 'me',
      summary: 'The user, scopes and expiry of the bearer credential',
      description:
        'Answers for any valid credential, a JWT or a personal access token, whatever scopes it carries: its user, its scopes, ' +
        'which kind it is and when it expires. Never the token or its hash.',
      scope: null,
      subject: 'credentials-user',
      responses: { 200: { description: 'Who the credential speaks for', schema: MeSchema } },
      handle: async ({ principal }) => ({ status: 200, body: meOf(principal) }),
    }),
  ];
}
