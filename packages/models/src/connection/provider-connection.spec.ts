import { toCreateTableInput } from '../tables/create-table-input.ts';
import { providerConnectionEntity } from './provider-connection.entity.ts';
import { ConnectionStatusViewSchema, ProviderConnectionSchema, toConnectionStatusView, type ProviderConnection } from './provider-connection.schema.ts';

const connected: ProviderConnection = {
  user_id: 'alice',
  provider: 'dexcom',
  status: 'connected',
  connected_at: '2026-12-01T10:00:00.000Z',
  last_sync_at: '2026-12-05T10:00:00.000Z',
  newest_reading_at: '2026-12-05T08:55:00.000Z',
  synced_through: '2026-12-05T10:00:00.000Z',
  next_run_at: '2026-12-05T10:05:00.000Z',
  next_job_id: '3f1c2a8e-7d5b-4c1e-9a3f-2b6d8e0c4a71',
  authorization: { nonce_sha256: 'a'.repeat(64), expires_at: '2026-12-05T10:10:00.000Z' },
  created_at: '2026-12-01T09:59:00.000Z',
  updated_at: '2026-12-05T10:00:00.000Z',
  version: 7,
};

describe('provider-connection', () => {
  describe('providerConnectionEntity.table', () => {
    it('when derived, gives the documented table, key and sparse overdue index', () => {
      const input = toCreateTableInput(providerConnectionEntity.table);
      expect(input.TableName).toBe('provider_connections');
      expect(input.KeySchema).toEqual([
        { AttributeName: 'user_id', KeyType: 'HASH' },
        { AttributeName: 'provider', KeyType: 'RANGE' },
      ]);
      expect(providerConnectionEntity.table.globalSecondaryIndexes).toEqual([
        { name: 'status-next_run_at-index', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'next_run_at', type: 'S' } },
      ]);
    });
  });

  describe('ProviderConnectionSchema', () => {
    it('when a stored connection is complete, accepts it; an unknown status or a nonce that is not a SHA-256 is refused', () => {
      expect(ProviderConnectionSchema.parse(connected)).toEqual(connected);
      expect(ProviderConnectionSchema.safeParse({ ...connected, status: 'disconnected' }).success).toBe(false);
      expect(ProviderConnectionSchema.safeParse({ ...connected, authorization: { nonce_sha256: 'raw-nonce', expires_at: connected.updated_at } }).success).toBe(false);
    });
  });

  describe('toConnectionStatusView', () => {
    it('when connected, shows the schedule and history but no nonce, job id or window', () => {
      const view = toConnectionStatusView(connected);
      expect(ConnectionStatusViewSchema.parse(view)).toEqual({
        provider: 'dexcom',
        status: 'connected',
        connected: true,
        reauthorization_required: false,
        connected_since: '2026-12-01T10:00:00.000Z',
        last_sync_at: '2026-12-05T10:00:00.000Z',
        newest_reading_at: '2026-12-05T08:55:00.000Z',
        next_run_at: '2026-12-05T10:05:00.000Z',
        last_error: null,
        last_error_at: null,
      });
      expect(JSON.stringify(view)).not.toMatch(/nonce|next_job_id|synced_through|a{64}/);
    });

    it('when reauthorization is required, says so, shows the error and no next run', () => {
      const view = toConnectionStatusView({
        ...connected,
        status: 'reauthorization_required',
        next_run_at: undefined,
        last_error: 'Dexcom refused the refresh token (invalid_grant)',
        last_error_at: '2026-12-05T10:00:00.000Z',
      });
      expect(view).toMatchObject({ connected: false, reauthorization_required: true, next_run_at: null, last_error: 'Dexcom refused the refresh token (invalid_grant)' });
    });

    it('when an authorization was begun but never completed, is not connected and has no connected_since', () => {
      const view = toConnectionStatusView({ user_id: 'bob', provider: 'dexcom', status: 'pending', created_at: connected.created_at, updated_at: connected.updated_at, version: 1 });
      expect(view).toMatchObject({ status: 'pending', connected: false, reauthorization_required: false, connected_since: null, next_run_at: null });
    });
  });
});
