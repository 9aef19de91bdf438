import { isAccessTokenText } from '@vitals/models';
import type { Request } from 'express';
import { ApiProblem } from '../middleware/problem-details.ts';
import type { BearerTokens } from './bearer-tokens.ts';
import { principalOf } from './request-principal.ts';
import type { Principal } from './scopes.ts';

/** What resolving a Nightscout client's credentials needs. */
export interface NightscoutCredentialDeps {
  readonly tokens: BearerTokens;
}

/** A Nightscout client's `api-secret`: the SHA-1 of the secret it was given, 40 hex digits (any case: some clients shout). */
const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' };
const INVALID = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

const MISSING =
  'Send a credential: the header api-secret: <SHA-1 of your access token>, the query parameter token=<access token>, or Authorization: Bearer <JWT or access token>';

const resolved = new WeakMap<Request, Promise<Principal>>();

/** The one value of a header or query parameter, or undefined when absent; a repeated one is refused rather than guessed at. */
function single(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  throw new ApiProblem('unauthorized', `Send ${where} once`, undefined, INVALID);
}

async function resolve(req: Request, deps: NightscoutCredentialDeps): Promise<Principal> {
  const authorization = req.get('authorization');
  // Only a Bearer counts: a reverse proxy's Basic credentials in front of the server are not ours to judge.
  if (authorization !== undefined && /^\s*bearer\s/i.test(authorization)) return principalOf(req, deps.tokens);

  const apiSecret = single(req.headers['api-secret'], 'the api-secret header');
  if (apiSecret !== undefined) {
    if (SHA1_HEX.test(apiSecret)) return deps.tokens.verifyAccessToken({ sha1: apiSecret.toLowerCase() });
    if (isAccessTokenText(apiSecret)) return deps.tokens.verifyAccessToken({ token: apiSecret });
    throw new ApiProblem('unauthorized', 'The api-secret is neither the SHA-1 of an access token nor an access token', undefined, INVALID);
  }

  const token = single(req.query['token'], 'the token query parameter');
  if (token !== undefined) {
    if (isAccessTokenText(token)) return deps.tokens.verifyAccessToken({ token });
    throw new ApiProblem('unauthorized', 'The token query parameter is not an access token (vat_…)', undefined, INVALID);
  }
  throw new ApiProblem('unauthorized', MISSING, undefined, CHALLENGE);
}

/**
 * The principal of a request from a Nightscout client, resolved once per
 * request however many steps ask (the rate limiter and the route). The forms
 * Nightscout clients use, in this order of precedence:
 *
 * 1. `Authorization: Bearer <JWT | vat_…>`, exactly as on every other route;
 * 2. `api-secret: <SHA-1 of the access token's text>` (what xDrip+, Loop,
 *    nightscout-connect and librelink-up send for the secret they were
 *    given), or the token's text itself;
 * 3. `?token=<vat_…>`.
 *
 * The first form present decides: a bad one is a 401 problem even if a later
 * form would have passed, so one request never tries several credentials.
 * Neither a token nor its SHA-1 is written anywhere (the access log has no
 * query strings or headers).
 */
export function nightscoutPrincipalOf(req: Request, deps: NightscoutCredentialDeps): Promise<Principal> {
  let principal = resolved.get(req);
  if (principal === undefined) {
    principal = resolve(req, deps);
    // The rate limiter only asks; the route rethrows. Neither leaves the rejection unhandled.
    principal.catch(() => undefined);
    resolved.set(req, principal);
  }
  return principal;
}
