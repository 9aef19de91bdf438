import type { UpdateParams } from '@vitals/dynamodb-core';
import { CONNECTION_LAST_ERROR_MAX_LENGTH, type ProviderConnection, type SyncJob } from '@vitals/models';
import { updateParams } from '../store/update-params.ts';

/*
 * The updates of a provider connection, without I/O: ConnectionService sends
 * them, alone or in a transaction with the job they go with. Every one bumps
 * `version` and sets `updated_at`.
 */

/** Records the one outstanding authorization (a new nonce supersedes an older one); creates a `pending` connection if none. */
export function beginAuthorizationUpdate(nonceSha256: string, expiresAt: Date, now: Date): UpdateParams {
  return updateParams(
    'SET #authorization = :authorization, #status = if_not_exists(#status, :pending), ' +
      '#created_at = if_not_exists(#created_at, :now), #updated_at = :now, #version = if_not_exists(#version, :zero) + :one',
    undefined,
    {
      ':authorization': { nonce_sha256: nonceSha256, expires_at: expiresAt.toISOString() },
      ':pending': 'pending',
      ':now': now.toISOString(),
      ':zero': 0,
      ':one': 1,
    },
  );
}

/** Removes the outstanding authorization on condition that it is `nonceSha256` and not expired: a state works once. */
export function consumeAuthorizationUpdate(nonceSha256: string, now: Date): UpdateParams {
  return updateParams(
    'REMOVE #authorization SET #updated_at = :now, #version = #version + :one',
    '#authorization.#nonce_sha256 = :nonce AND #authorization.#expires_at > :now',
    { ':nonce': nonceSha256, ':now': now.toISOString(), ':one': 1 },
  );
}

/** Why a consume failed, read from the connection as stored. */
export function whyNotConsumed(existing: Partial<ProviderConnection> | undefined, nonceSha256: string, now: Date): string {
  const pending = existing?.authorization;
  if (pending === undefined) return 'has no authorization in progress: the state was already used, or never issued';
  if (pending.nonce_sha256 !== nonceSha256) return 'has a newer authorization in progress: this state was superseded';
  if (pending.expires_at <= now.toISOString()) return `has an authorization that expired at ${pending.expires_at}`;
  return 'changed while the state was being used';
}

/** What a run changes on its connection: attributes set and removed, on condition of the version read. */
export interface ConnectionChange {
  set: Partial<Record<keyof ProviderConnection, unknown>>;
  remove?: readonly (keyof ProviderConnection)[];
  /** The job must still be the one carrying the schedule on, and the connection `connected`. */
  chainedTo?: string;
  /** The connection must be `connected`. */
  whileConnected?: boolean;
}

/** In place of a version: the update was planned without reading the connection. */
export const UNREAD = 'unread';
export type Unread = typeof UNREAD;

/**
 * `change` as one update of the connection read at `seen` (its version).
 * Planned `UNREAD`, the change must be `chainedTo` a job — the update then
 * holds only while that job carries the schedule — and it may only move
 * `newest_reading_at` forward, which the version would otherwise guard.
 */
export function connectionUpdate(change: ConnectionChange, seen: number | Unread, now: Date): UpdateParams {
  const entries = Object.entries(change.set).filter(([, value]) => value !== undefined);
  const sets = [...entries.map(([name]) => `#${name} = :set_${name}`), '#updated_at = :now', '#version = #version + :one'];
  const removes = (change.remove ?? []).map((name) => `#${String(name)}`);
  const conditions: string[] = [];
  if (seen !== UNREAD) conditions.push('#version = :seen_version');
  else if (change.chainedTo === undefined) throw new Error('an update planned without reading the connection must be chained to its job');
  else if (change.set.newest_reading_at !== undefined) {
    conditions.push('(attribute_not_exists(#newest_reading_at) OR #newest_reading_at <= :set_newest_reading_at)');
  }
  if (change.chainedTo !== undefined) conditions.push('#status = :connected', '#next_job_id = :chained_to');
  else if (change.whileConnected === true) conditions.push('#status = :connected');
  return updateParams(
    `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    conditions.join(' AND '),
    {
      ...Object.fromEntries(entries.map(([name, value]) => [`:set_${name}`, value])),
      ':now': now.toISOString(),
      ':one': 1,
      ':seen_version': seen === UNREAD ? undefined : seen,
      ':connected': 'connected',
      ':chained_to': change.chainedTo,
    },
  );
}

/** `error` as a connection keeps it, with when it happened. */
export function lastError(error: string, now: Date): { last_error: string; last_error_at: string } {
  return { last_error: error.slice(0, CONNECTION_LAST_ERROR_MAX_LENGTH), last_error_at: now.toISOString() };
}

/** The later of two instants (ISO strings compare in time order), either may be absent. */
export function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** Is `job` the one that carries `connection`'s schedule on? */
export function isChained(connection: ProviderConnection | undefined, job: Pick<SyncJob, 'job_id'>): boolean {
  return connection?.status === 'connected' && connection.next_job_id === job.job_id;
}
