import type { Request } from 'express';
import type { BearerTokens } from './bearer-tokens.ts';
import type { Principal } from './scopes.ts';

const verified = new WeakMap<Request, Promise<Principal>>();

/**
 * The request's verified principal, verified once however many steps ask:
 * the rate limiter (to key by subject) and the route (to authorise). Rejects
 * with the same 401 problem as `BearerTokens.verify`.
 */
export function principalOf(req: Request, tokens: BearerTokens): Promise<Principal> {
  let principal = verified.get(req);
  if (principal === undefined) {
    principal = tokens.verify(req.get('authorization'));
    // The rate limiter only asks; the route rethrows. Neither leaves the rejection unhandled.
    principal.catch(() => undefined);
    verified.set(req, principal);
  }
  return principal;
}
