import { z } from 'zod';
import {
  EpochSecondsSchema,
  IsoInstantSchema,
  ProviderSchema,
  UserIdSchema,
  VersionSchema,
} from '../common/formats.schema.ts';
import { textSchema } from '../common/text.schema.ts';

/** Well-formed, or encrypting the UTF-8 bytes would silently replace a lone surrogate. */
const TokenSchema = textSchema(16_384, 1);
const CiphertextSchema = z.string().min(1);

/**
 * What a client sends to store tokens for a provider (`user_id` and
 * `provider` come from the path). `expires_at` is the access token's expiry
 * in epoch seconds; `scope` is space-separated and may be empty.
 */
export const UserTokenInputSchema = z.strictObject({
  access_token: TokenSchema,
  refresh_token: TokenSchema,
  token_type: textSchema(64, 1),
  scope: textSchema(4096),
  expires_at: EpochSecondsSchema,
});

const managed = {
  user_id: UserIdSchema,
  provider: ProviderSchema,
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
  version: VersionSchema,
};

/** A token set in the clear, in memory only: never stored, returned or logged like this. */
export const UserTokenSchema = UserTokenInputSchema.extend(managed);

/**
 * A token set as stored in the token sets table: both tokens AES-256-GCM ciphertext
 * (opaque strings) and `key_id` naming the key that encrypted them.
 */
export const UserTokenItemSchema = UserTokenInputSchema.omit({ access_token: true, refresh_token: true }).extend({
  ...managed,
  access_token_enc: CiphertextSchema,
  refresh_token_enc: CiphertextSchema,
  key_id: z.string().min(1).max(256),
  /**
   * Who may spend the refresh token now, and until when: taken with a
   * versioned update before a refresh, dropped by the save of the new set.
   */
  refresh_lease_owner: z.string().min(1).max(256).optional(),
  refresh_lease_expires_at: IsoInstantSchema.optional(),
});

/** What the API may return about a token set: no token material, no key id. */
export const UserTokenMetadataSchema = UserTokenItemSchema.omit({
  access_token_enc: true,
  refresh_token_enc: true,
  key_id: true,
  refresh_lease_owner: true,
  refresh_lease_expires_at: true,
});

export type UserTokenInput = z.infer<typeof UserTokenInputSchema>;
export type UserToken = z.infer<typeof UserTokenSchema>;
export type UserTokenItem = z.infer<typeof UserTokenItemSchema>;
export type UserTokenMetadata = z.infer<typeof UserTokenMetadataSchema>;

/** The metadata of a stored or plain token set; copies only the allowed fields, so no secret can leak through. */
export function toUserTokenMetadata(token: UserTokenItem | UserToken): UserTokenMetadata {
  const { user_id, provider, token_type, scope, expires_at, created_at, updated_at, version } = token;
  return { user_id, provider, token_type, scope, expires_at, created_at, updated_at, version };
}
