import { defineEntity } from '../entity/define-entity.ts';
import { UserTokenItemSchema } from './user-token.schema.ts';

/**
 * Encrypted OAuth token sets: one per user and provider, in the
 * `user_tokens` table. `provider-expires_at-index` lists a provider's token
 * sets by expiry (epoch seconds) for refresh sweeps. `expires_at` is the
 * access token's expiry and deliberately not a TTL: an expired access token
 * is refreshed, not deleted.
 */
export const userTokenEntity = defineEntity({
  name: 'UserToken',
  table: 'user_tokens',
  schema: UserTokenItemSchema,
  key: { partition: 'user_id', sort: 'provider' },
  indexes: {
    'provider-expires_at-index': { partition: 'provider', sort: 'expires_at' },
  },
});
