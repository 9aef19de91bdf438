import { API_SCOPES, type ApiScope } from '@vitals/models';

/**
 * Every scope a bearer credential may carry (the README's route table names the
 * one each route needs). Defined once in `@vitals/models` (`API_SCOPES`), which
 * personal access tokens are validated against too.
 */
export const SCOPES = API_SCOPES;

export type Scope = ApiScope;
/** Who a verified credential speaks for. */
export interface Principal {
  /** The JWT's `sub`, or the access token's user: the user whose `/v1/users/{user_id}/…` data it may touch. */
  readonly user_id: string;
  readonly scopes: ReadonlySet<string>;
  /** Present when the credential is a personal access token: which one, and when it expires (`null`: never). */
  readonly access_token?: { readonly token_id: string; readonly expires_at: string | null };
  /** Present when the credential is a JWT: its `exp`, as an instant. */
  readonly jwt?: { readonly expires_at: string };
}

/** Admins may touch every user's data and list due sync jobs. */
export function isAdmin(principal: Principal): boolean {
  return principal.scopes.has('admin');
}

/** Whether `principal` may act on `userId`'s data: its own, or any as an admin. */
export function mayActFor(principal: Principal, userId: string): boolean {
  return principal.user_id === userId || isAdmin(principal);
}

/**
 * Whether `principal` may use the recovery health log, which is one person's:
 * its owner (`HEALTH_LOG_OWNER`) or an admin. With no owner named, only admins.
 */
export function mayUseHealthLog(principal: Principal, owner: string | undefined): boolean {
  return (owner !== undefined && principal.user_id === owner) || isAdmin(principal);
}
