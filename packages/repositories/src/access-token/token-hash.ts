import { ACCESS_TOKEN_PREFIX, TokenSha1Schema, isAccessTokenText } from '@vitals/models';
import { createHash, randomBytes } from 'node:crypto';

/** A new token's text: `vat_` and 32 random bytes in base64url (43 characters). Shown once, never stored. */
export function newAccessTokenText(): string {
  return `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The lowercase hex SHA-1 of a token's text: the `api-secret` a Nightscout client sends for it. */
export function accessTokenSha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** The stored key of a token whose SHA-1 form is `sha1`: hex SHA-256 of it. */
export function tokenHashOfSha1(sha1: string): string {
  return createHash('sha256').update(sha1, 'ascii').digest('hex');
}

/** A credential naming a token: its text (a Bearer or `?token=`), or the SHA-1 of its text (a Nightscout `api-secret`). */
export type AccessTokenCredential = { readonly token: string } | { readonly sha1: string };

/**
 * The `token_hash` a credential would be stored under, or undefined when it
 * cannot name any token (not a token's shape, not 40 lowercase hex digits):
 * no read is spent on it.
 */
export function tokenHashOf(credential: AccessTokenCredential): string | undefined {
  if ('token' in credential) return isAccessTokenText(credential.token) ? tokenHashOfSha1(accessTokenSha1(credential.token)) : undefined;
  return TokenSha1Schema.safeParse(credential.sha1).success ? tokenHashOfSha1(credential.sha1) : undefined;
}
