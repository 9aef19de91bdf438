import { DexcomError, type DexcomClient } from '@vitals/dexcom-client';
import type { UserToken } from '@vitals/models';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { RunContext, TokenSets } from './sync-ports.ts';

export interface TokenRefreshSettings {
  /** An access token expiring within this is refreshed before use. */
  marginMs: number;
  /** How long the refresh lease holds. */
  leaseMs: number;
  /** How often a worker waiting on another's refresh re-reads the set. */
  pollMs: number;
}

/** The stored token set is gone: the connection was removed while the job ran. */
export class NoTokenSetError extends Error {
  override readonly name = 'NoTokenSetError';
}

/**
 * A refresh that did not answer in time. Dexcom may have spent the refresh
 * token all the same (the answer was lost, not the request), so a later
 * `invalid_grant` for this token may be this worker's own doing.
 */
export class RefreshTimedOutError extends Error {
  override readonly name = 'RefreshTimedOutError';
  constructor(override readonly cause: DexcomError) {
    super(`the token refresh did not answer in time (${cause.message}); Dexcom may still have spent the refresh token`);
  }
}

/** No refresh landed while this worker waited for another's, nor could it take the lease itself. */
export class RefreshWaitError extends Error {
  override readonly name = 'RefreshWaitError';
}

/** How long a token set read ahead stands in for a read of its own: about as long as a listing of due jobs is kept. */
export const READ_AHEAD_MAX_AGE_MS = 2_000;

/** A token set's user and provider. */
export interface TokenSetKey {
  user_id: string;
  provider: string;
}

const nameOf = (userId: string, provider: string) => JSON.stringify([userId, provider]);

/**
 * Hands out an access token that is good for a while, refreshing it at most
 * once across every worker: the worker that takes the set's refresh lease (a
 * versioned update) spends the refresh token and saves the new set on the
 * leased version, which drops the lease. Every other worker re-reads until
 * the set has moved on — a new access token — and goes on with that; if the
 * holder dies, its lease lapses and the next reader takes it. No token is
 * ever logged.
 */
export class TokenRefresher {
  /** Sets read ahead (or being read), by user and provider, each used once. */
  private readonly ahead = new Map<string, { set: Promise<UserToken | undefined>; readAtMs: number }>();

  constructor(
    private readonly tokens: TokenSets,
    private readonly dexcom: DexcomClient,
    private readonly context: RunContext,
    private readonly settings: TokenRefreshSettings,
    private readonly metrics: WorkerMetrics,
  ) {}

  /**
   * A usable token set for the user: the stored one while its access token
   * has more than the margin left, else a refreshed one. With `rejected` (an
   * access token Dexcom just refused), a set with another access token, or a
   * refreshed one. Rejects with `NoTokenSetError`, `RefreshTimedOutError`,
   * `RefreshWaitError` or the refresh's `DexcomError` (`dexcom.invalidGrant`:
   * the person must connect again).
   */
  async usable(userId: string, provider: string, rejected?: string): Promise<UserToken> {
    const log = this.context.logger.child({ user_id: userId, provider });
    // Long enough for a holder to refresh and save, or for its lease to lapse and this worker to take over.
    const deadline = Date.now() + 2 * this.settings.leaseMs + this.settings.pollMs;
    let waited = false;
    let ahead = rejected === undefined ? await this.takeAhead(userId, provider) : undefined;
    for (;;) {
      const set = ahead ?? (await this.tokens.get(userId, provider));
      ahead = undefined;
      if (set === undefined) throw new NoTokenSetError(`no token set is stored for ${provider}`);
      if (rejected === undefined ? !this.expiringSoon(set) : set.access_token !== rejected) {
        if (waited) {
          this.metrics.tokenRefreshes.inc({ result: 'awaited' });
          log.info({ version: set.version }, 'using the token set another worker refreshed');
        }
        return set;
      }
      const leased = await this.tokens.leaseRefresh(userId, provider, this.context.owner, set.version, this.settings.leaseMs);
      if (leased !== undefined) {
        try {
          return await this.refresh(leased, log);
        } catch (error) {
          if (!(error instanceof DexcomError && error.code === 'dexcom.invalidGrant')) throw error;
          // Refused, yet if the set moved on meanwhile (a lease that lapsed under us), the newer set is what counts.
          const now = await this.tokens.get(userId, provider);
          if (now === undefined || now.version === leased.version) throw error;
          log.warn({ version: now.version }, 'the refresh token was refused but the token set has moved on: reading it again');
          continue;
        }
      }
      if (Date.now() > deadline) {
        this.metrics.tokenRefreshes.inc({ result: 'failed' });
        throw new RefreshWaitError('another worker held the refresh lease and no refreshed token set arrived in time');
      }
      waited = true;
      await new Promise((done) => setTimeout(done, this.settings.pollMs));
    }
  }

  /**
   * Reads the token sets of `keys` (the users of a listing of due jobs) in
   * one request; the first `usable` of each within `READ_AHEAD_MAX_AGE_MS`
   * uses it (waiting for it while it is on its way) instead of a read of its
   * own. A set another worker refreshes meanwhile is stale like any read:
   * its refresh lease fails on the old version and the set is read again,
   * or Dexcom refuses its old access token and `rejected` reads it again.
   * Rejects when the read fails; the jobs then read their own.
   */
  async readAhead(keys: readonly TokenSetKey[]): Promise<void> {
    const now = performance.now();
    this.forgetOld(now);
    const wanted = [...new Map(keys.map((key) => [nameOf(key.user_id, key.provider), key])).entries()].filter(([name]) => !this.ahead.has(name));
    if (wanted.length === 0) return;
    const read = this.tokens.getMany(wanted.map(([, key]) => key));
    const found = read.then(
      (sets) => new Map(sets.map((set) => [nameOf(set.user_id, set.provider), set])),
      () => new Map<string, UserToken>(),
    );
    for (const [name] of wanted) this.ahead.set(name, { set: found.then((sets) => sets.get(name)), readAtMs: now });
    await read;
  }

  /** The set read ahead for the user, once, if read recently enough; else undefined (the caller reads its own). */
  private async takeAhead(userId: string, provider: string): Promise<UserToken | undefined> {
    // Sets no run took (their jobs went to other workers) are dropped here too, not only at the next listing.
    this.forgetOld(performance.now());
    const name = nameOf(userId, provider);
    const entry = this.ahead.get(name);
    if (entry === undefined) return undefined;
    this.ahead.delete(name);
    return performance.now() - entry.readAtMs > READ_AHEAD_MAX_AGE_MS ? undefined : entry.set;
  }

  /** Drops the sets read ahead longer ago than `READ_AHEAD_MAX_AGE_MS`: decrypted tokens are kept no longer than they are useful. */
  private forgetOld(nowMs: number): void {
    for (const [name, entry] of this.ahead) if (nowMs - entry.readAtMs > READ_AHEAD_MAX_AGE_MS) this.ahead.delete(name);
  }

  private expiringSoon(set: UserToken): boolean {
    return set.expires_at * 1_000 - this.context.clock.now().getTime() <= this.settings.marginMs;
  }

  /** Spends the leased set's refresh token and saves the new set on the leased version (which drops the lease). */
  private async refresh(leased: UserToken, log: RunContext['logger']): Promise<UserToken> {
    let fresh;
    try {
      fresh = await this.dexcom.refresh(leased.refresh_token);
    } catch (error) {
      this.metrics.tokenRefreshes.inc({ result: 'failed' });
      if (error instanceof DexcomError && error.code === 'dexcom.unavailable' && error.reason === 'timeout') {
        throw new RefreshTimedOutError(error);
      }
      throw error;
    }
    const input = {
      access_token: fresh.access_token,
      refresh_token: fresh.refresh_token,
      token_type: fresh.token_type,
      scope: fresh.scope,
      expires_at: fresh.expires_at,
    };
    try {
      await this.tokens.save(leased.user_id, leased.provider, input, leased.version);
    } catch (error) {
      // The lease lapsed before the save and someone else moved the set: the new refresh token is lost with it.
      log.error({ version: leased.version }, 'the refreshed token set could not be saved on the leased version');
      throw error;
    }
    this.metrics.tokenRefreshes.inc({ result: 'refreshed' });
    log.info({ version: leased.version + 1, expires_at: fresh.expires_at }, 'token set refreshed');
    return { ...leased, ...input, version: leased.version + 1 };
  }
}
