import { z } from 'zod';
import { EpochSecondsSchema, InstantInputSchema, IsoInstantSchema, UserIdSchema } from '../common/formats.schema.ts';
import { isWellFormedText, WELL_FORMED_MESSAGE } from '../common/text.schema.ts';
import { defineEntity } from '../entity/define-entity.ts';
import { TokenHashSchema } from './access-token-text.ts';
import { API_SCOPES, ApiScopeSchema } from './scopes.ts';

/** How long an expired token stays listed (so its owner sees why a client stopped) before TTL deletes it. */
export const ACCESS_TOKEN_PURGE_AFTER_DAYS = 30;

/** How many access tokens one user may hold at once (expired ones count until they are purged). */
export const MAX_ACCESS_TOKENS_PER_USER = 100;

/** 1..100 characters after trimming, well-formed: how its owner tells tokens apart ("xDrip+ phone", "Mum"). */
export const AccessTokenNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100)
  .refine(isWellFormedText, { message: WELL_FORMED_MESSAGE });

/** A non-empty set of scopes, each named once, each one of `API_SCOPES`. */
export const AccessTokenScopesSchema = z
  .array(ApiScopeSchema)
  .min(1, { message: 'must name at least one scope' })
  .max(API_SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'must name each scope once' });

/** A token's id: a UUID, what its owner lists and revokes it by. */
export const AccessTokenIdSchema = z.uuid();

/**
 * What a person (or an admin for them) sends to create a token. `expires_at`
 * (RFC 3339, any offset, stored in UTC) must be in the future, which only the
 * repository can check (it has the clock); left out, the token never expires.
 */
export const AccessTokenInputSchema = z.strictObject({
  name: AccessTokenNameSchema,
  scopes: AccessTokenScopesSchema,
  expires_at: InstantInputSchema.optional().describe('RFC 3339, any offset; must be in the future. Left out: the token never expires'),
});

/** What the API shows of a token: never its text, never its hash. */
export const AccessTokenViewSchema = z.strictObject({
  token_id: AccessTokenIdSchema,
  user_id: UserIdSchema,
  name: AccessTokenNameSchema,
  scopes: AccessTokenScopesSchema,
  created_at: IsoInstantSchema,
  /** `null`: never expires. */
  expires_at: IsoInstantSchema.nullable(),
  /** When it last authenticated a request, to within an hour; `null`: never used. */
  last_used_at: IsoInstantSchema.nullable().optional(),
});

/**
 * A token as stored in the access tokens table: its view, its `token_hash`
 * (hex SHA-256 of the hex SHA-1 of the text: not a credential in any form a
 * client sends) and `purge_at`, the TTL, {@link ACCESS_TOKEN_PURGE_AFTER_DAYS}
 * after `expires_at` (absent for a token that never expires).
 */
export const AccessTokenItemSchema = AccessTokenViewSchema.extend({
  token_hash: TokenHashSchema,
  purge_at: EpochSecondsSchema.optional(),
});

export type AccessTokenInput = z.infer<typeof AccessTokenInputSchema>;
export type AccessTokenView = z.infer<typeof AccessTokenViewSchema>;
export type AccessTokenItem = z.infer<typeof AccessTokenItemSchema>;

/** The view of a stored token; copies only the view's fields, so neither the hash nor anything added later can leak. */
export function toAccessTokenView(item: AccessTokenItem): AccessTokenView {
  const { token_id, user_id, name, scopes, created_at, expires_at, last_used_at } = item;
  return { token_id, user_id, name, scopes, created_at, expires_at, last_used_at: last_used_at ?? null };
}

/** The TTL (epoch seconds) of a token expiring at `expiresAt`: {@link ACCESS_TOKEN_PURGE_AFTER_DAYS} later. */
export function accessTokenPurgeAt(expiresAt: string): number {
  return Math.floor(Date.parse(expiresAt) / 1000) + ACCESS_TOKEN_PURGE_AFTER_DAYS * 86_400;
}

/** Whether a token expiring at `expiresAt` (`null`: never) no longer authenticates at `now`. */
export function isAccessTokenExpired(expiresAt: string | null, now: Date): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}

/**
 * Personal access tokens, one item per token, in the `access_tokens` table,
 * keyed by `token_hash` so a request's credential is one consistent GetItem.
 * `user_id-token_id-index` lists a user's tokens and finds one by id to
 * revoke it. `purge_at` is the TTL.
 */
export const accessTokenEntity = defineEntity({
  name: 'AccessToken',
  table: 'access_tokens',
  schema: AccessTokenItemSchema,
  key: { partition: 'token_hash' },
  indexes: {
    'user_id-token_id-index': { partition: 'user_id', sort: 'token_id' },
  },
  ttlAttribute: 'purge_at',
});
