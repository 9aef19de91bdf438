import type { Logger } from '@vitals/dynamodb-core';
import type { SyncJob, UserToken, UserTokenInput } from '@vitals/models';
import type { Clock } from '@vitals/repositories';

/*
 * What a run needs of the repositories, by what it does with them:
 * `ConnectionService` ends runs, `UserTokenRepository` holds the token sets,
 * `SyncJobRepository` keeps leases alive. The composition root
 * (`worker/worker-container.ts`) hands the real ones in.
 */

/** How a run ends, each in one transaction with the connection (ConnectionService). */
export interface RunEndings {
  completeRun(job: SyncJob, owner: string, result: { records_synced: number; newest_reading_at?: string }): Promise<unknown>;
  failRun(job: SyncJob, owner: string, error: string): Promise<unknown>;
  deferRun(job: SyncJob, owner: string, until: Date, reason: string): Promise<unknown>;
  requireReauthorization(job: SyncJob, owner: string, error: string): Promise<unknown>;
}

/** The token sets, read decrypted, leased for a refresh and saved on their version (UserTokenRepository). */
export interface TokenSets {
  get(userId: string, provider: string): Promise<UserToken | undefined>;
  getMany(keys: readonly { user_id: string; provider: string }[]): Promise<UserToken[]>;
  leaseRefresh(userId: string, provider: string, owner: string, version: number, leaseMs: number): Promise<UserToken | undefined>;
  save(userId: string, provider: string, input: UserTokenInput, expectedVersion?: number): Promise<unknown>;
}

/** The jobs' leases (SyncJobRepository). */
export interface JobLeases {
  heartbeat(jobId: string, owner: string, leaseMs: number): Promise<SyncJob>;
  cancel(jobId: string): Promise<SyncJob>;
}

/** What every part of a run shares. */
export interface RunContext {
  owner: string;
  clock: Clock;
  /** Names the lease owner (`lease_owner`) on every line. */
  logger: Logger;
}
