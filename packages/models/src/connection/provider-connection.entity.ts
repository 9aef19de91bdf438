import { defineEntity } from '../entity/define-entity.ts';
import { ProviderConnectionSchema } from './provider-connection.schema.ts';

/**
 * A user's connection to a data provider (Dexcom), one per user and
 * provider, in the `provider_connections` table. `status-next_run_at-index`
 * is sparse (only connections with a run scheduled have `next_run_at`): a
 * worker finds the connected ones whose next run is long overdue — a
 * schedule a dead process broke — and repairs them.
 */
export const providerConnectionEntity = defineEntity({
  name: 'ProviderConnection',
  table: 'provider_connections',
  schema: ProviderConnectionSchema,
  key: { partition: 'user_id', sort: 'provider' },
  indexes: {
    'status-next_run_at-index': { partition: 'status', sort: 'next_run_at' },
  },
});
