import { z } from 'zod';

/** Every personal access token starts with this, so a leaked one is recognisable (and a JWT never is one). */
export const ACCESS_TOKEN_PREFIX = 'vat_';

/** `vat_` and 43 base64url characters: 32 random bytes, unpadded. */
const ACCESS_TOKEN_TEXT = /^vat_[A-Za-z0-9_-]{43}$/;

/** The text of a personal access token as its holder sends it: `vat_` + 43 base64url characters. */
export const AccessTokenTextSchema = z.string().regex(ACCESS_TOKEN_TEXT, { message: 'must be vat_ and 43 base64url characters' });

/** Whether `text` has the shape of a personal access token (whether it is a live one only the store can tell). */
export function isAccessTokenText(text: string): boolean {
  return ACCESS_TOKEN_TEXT.test(text);
}

/**
 * The lowercase hex SHA-1 of a token's text: what a Nightscout client sends
 * as `api-secret`. Hashed once more (SHA-256) it is the stored `token_hash`,
 * so the table holds neither the token nor this form of it.
 */
export const TokenSha1Schema = z.string().regex(/^[0-9a-f]{40}$/, { message: 'must be 40 lowercase hex digits (a SHA-1)' });

/** The stored key of a token: the hex SHA-256 of its {@link TokenSha1Schema} form. */
export const TokenHashSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex digits (a SHA-256)' });
