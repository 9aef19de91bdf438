import { EpochSecondsSchema, ProviderSchema, UserIdSchema } from '../common/formats.schema.ts';
import { defineCompositeKeys } from '../tables/index-keys.ts';
import { userTokensTable } from '../tables/tables.ts';

/** `user_tokens` table key: partition `user_id`, sort `provider`. */
export const userTokenPrimaryIndex = defineCompositeKeys({
  context: userTokensTable.name,
  partition: { name: 'user_id', schema: UserIdSchema },
  sort: { name: 'provider', schema: ProviderSchema },
});

/** `provider-expires_at-index`: a provider's token sets by expiry (epoch seconds), for refresh sweeps. */
export const userTokenProviderExpiresAtIndex = defineCompositeKeys({
  context: userTokensTable.name,
  indexName: userTokensTable.globalSecondaryIndexes[0].name,
  partition: { name: 'provider', schema: ProviderSchema },
  sort: { name: 'expires_at', schema: EpochSecondsSchema },
});

/** The primary key of one token set: `{ user_id, provider }`. */
export function userTokenKey(user_id: string, provider: string): { user_id: string; provider: string } {
  return { ...userTokenPrimaryIndex.partition(user_id), ...userTokenPrimaryIndex.sort(provider) };
}
