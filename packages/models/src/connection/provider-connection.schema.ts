import { z } from 'zod';
import { IsoInstantSchema, ProviderSchema, UserIdSchema, VersionSchema } from '../common/formats.schema.ts';

/**
 * - `pending`: an authorization was started and never completed;
 * - `connected`: tokens are stored and runs are scheduled;
 * - `reauthorization_required`: the provider refused the refresh token;
 *   nothing is scheduled until the person connects again.
 */
export const CONNECTION_STATUSES = ['pending', 'connected', 'reauthorization_required'] as const;
export const ConnectionStatusSchema = z.enum(CONNECTION_STATUSES);

/** Longest `last_error` kept on a connection. */
export const CONNECTION_LAST_ERROR_MAX_LENGTH = 4_096;

/** The one outstanding authorization: the SHA-256 (hex) of its state nonce, never the nonce itself. */
export const PendingAuthorizationSchema = z.strictObject({
  nonce_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  expires_at: IsoInstantSchema,
});

/**
 * A user's connection to a provider (the connections table): its status,
 * what the status route shows, and what the scheduler needs to carry the
 * user's runs on (`next_job_id`, `synced_through`). See docs/DEXCOM-SYNC.md.
 */
export const ProviderConnectionSchema = z.strictObject({
  user_id: UserIdSchema,
  provider: ProviderSchema,
  status: ConnectionStatusSchema,
  /** When the current connection was made (the last successful callback). */
  connected_at: IsoInstantSchema.optional(),
  /** When a run last completed. */
  last_sync_at: IsoInstantSchema.optional(),
  /** The newest reading a run has stored. */
  newest_reading_at: IsoInstantSchema.optional(),
  /** The end of the last window synced; the next window starts an overlap before it. */
  synced_through: IsoInstantSchema.optional(),
  /** When the next run is due; absent when nothing is scheduled. Sort key of the overdue index. */
  next_run_at: IsoInstantSchema.optional(),
  /** The job that carries the schedule on. */
  next_job_id: z.uuid().optional(),
  last_error: z.string().max(CONNECTION_LAST_ERROR_MAX_LENGTH).optional(),
  last_error_at: IsoInstantSchema.optional(),
  authorization: PendingAuthorizationSchema.optional(),
  created_at: IsoInstantSchema,
  updated_at: IsoInstantSchema,
  version: VersionSchema,
});

/** What the API shows about a connection: no scheduler internals, no authorization nonce. */
export const ConnectionStatusViewSchema = z.strictObject({
  provider: ProviderSchema,
  status: ConnectionStatusSchema,
  connected: z.boolean().describe('true while tokens are stored and runs are scheduled'),
  reauthorization_required: z.boolean().describe('the provider refused the stored refresh token: connect again'),
  connected_since: IsoInstantSchema.nullable(),
  last_sync_at: IsoInstantSchema.nullable().describe('when a run last completed'),
  newest_reading_at: IsoInstantSchema.nullable().describe('the newest reading a run has stored'),
  next_run_at: IsoInstantSchema.nullable().describe('when the next run is due; null when nothing is scheduled'),
  last_error: z.string().nullable().describe('why the last run failed; null after a successful one'),
  last_error_at: IsoInstantSchema.nullable(),
});

export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;
export type PendingAuthorization = z.infer<typeof PendingAuthorizationSchema>;
export type ProviderConnection = z.infer<typeof ProviderConnectionSchema>;
export type ConnectionStatusView = z.infer<typeof ConnectionStatusViewSchema>;

/** The status view of a stored connection; copies only the allowed fields. */
export function toConnectionStatusView(connection: ProviderConnection): ConnectionStatusView {
  const connected = connection.status === 'connected';
  return {
    provider: connection.provider,
    status: connection.status,
    connected,
    reauthorization_required: connection.status === 'reauthorization_required',
    connected_since: connection.status === 'pending' ? null : (connection.connected_at ?? null),
    last_sync_at: connection.last_sync_at ?? null,
    newest_reading_at: connection.newest_reading_at ?? null,
    next_run_at: connected ? (connection.next_run_at ?? null) : null,
    last_error: connection.last_error ?? null,
    last_error_at: connection.last_error_at ?? null,
  };
}
