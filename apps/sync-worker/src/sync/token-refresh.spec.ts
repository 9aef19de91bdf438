import type { DexcomClient } from '@vitals/dexcom-client';
import { createLogger } from '@vitals/dynamodb-core';
import type { UserToken } from '@vitals/models';
import { WorkerMetrics } from '../metrics/worker-metrics.ts';
import type { TokenSets } from './sync-ports.ts';
import { READ_AHEAD_MAX_AGE_MS, TokenRefresher } from './token-refresh.ts';

const NOW = Date.parse('2026-12-06T08:00:00.000Z');

function tokenSet(userId: string, version = 1): UserToken {
  return {
    user_id: userId,
    provider: 'dexcom',
    access_token: `access-${userId}-${version}`,
    refresh_token: `refresh-${userId}-${version}`,
    token_type: 'Bearer',
    scope: 'offline_access',
    // Two hours on: nothing here is near its expiry, so no refresh is tried.
    expires_at: NOW / 1_000 + 7_200,
    created_at: '2026-12-06T07:00:00.000Z',
    updated_at: '2026-12-06T07:00:00.000Z',
    version,
  };
}

/*
 * The read-ahead's bookkeeping over a stand-in for the token table (the
 * stored sets and what was asked of them): when a set read ahead stands in
 * for a read of its own, and when it does not. The sync worker's e2e tests
 * run it against DynamoDB Local.
 */
describe('TokenRefresher read-ahead', () => {
  let stored: Map<string, UserToken>;
  let gets: string[];
  let batches: string[][];
  let leases: string[];
  let release: (() => void) | undefined;
  let refresher: TokenRefresher;

  beforeEach(() => {
    stored = new Map(['ann', 'ben'].map((user) => [user, tokenSet(user)]));
    gets = [];
    batches = [];
    leases = [];
    release = undefined;
    const tokens: TokenSets = {
      get: async (userId) => {
        gets.push(userId);
        return stored.get(userId);
      },
      getMany: async (keys) => {
        batches.push(keys.map((key) => key.user_id));
        const sets = keys.flatMap((key) => stored.get(key.user_id) ?? []);
        if (release !== undefined) await new Promise<void>((done) => (release = done));
        return sets;
      },
      // Asked only when a set must be refreshed: none here, unless a run took a set whose access token was refused.
      leaseRefresh: async (userId) => {
        leases.push(userId);
        return undefined;
      },
      save: async () => undefined,
    };
    const context = { owner: 'w1', clock: { now: () => new Date(NOW) }, logger: createLogger({ level: 'silent' }) };
    refresher = new TokenRefresher(tokens, {} as DexcomClient, context, { marginMs: 300_000, leaseMs: 30_000, pollMs: 10 }, new WorkerMetrics());
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads a listing once, and each set read ahead stands in for one read of its own', async () => {
    await refresher.readAhead([
      { user_id: 'ann', provider: 'dexcom' },
      { user_id: 'ben', provider: 'dexcom' },
      { user_id: 'ann', provider: 'dexcom' },
    ]);
    expect(batches).toEqual([['ann', 'ben']]);
    expect(await refresher.usable('ann', 'dexcom')).toEqual(tokenSet('ann'));
    expect(await refresher.usable('ben', 'dexcom')).toEqual(tokenSet('ben'));
    expect(gets).toEqual([]);
    // Used once: the next run reads afresh.
    stored.set('ann', tokenSet('ann', 2));
    expect(await refresher.usable('ann', 'dexcom')).toEqual(tokenSet('ann', 2));
    expect(gets).toEqual(['ann']);
  });

  it('waits for a read ahead still on its way rather than reading its own', async () => {
    release = () => undefined;
    const reading = refresher.readAhead([{ user_id: 'ann', provider: 'dexcom' }]);
    const using = refresher.usable('ann', 'dexcom');
    await new Promise((done) => setImmediate(done));
    expect(gets).toEqual([]);
    release();
    await reading;
    expect(await using).toEqual(tokenSet('ann'));
    expect(gets).toEqual([]);
  });

  it('reads its own when Dexcom refused the access token of the set read ahead: that set is not taken, and no refresh is tried', async () => {
    await refresher.readAhead([{ user_id: 'ben', provider: 'dexcom' }]);
    stored.set('ben', tokenSet('ben', 2));
    expect(await refresher.usable('ben', 'dexcom', tokenSet('ben').access_token)).toEqual(tokenSet('ben', 2));
    expect(gets).toEqual(['ben']);
    expect(leases).toEqual([]);
  });

  it('reads its own when the set was not stored at the read ahead', async () => {
    await refresher.readAhead([{ user_id: 'cai', provider: 'dexcom' }]);
    stored.set('cai', tokenSet('cai'));
    expect(await refresher.usable('cai', 'dexcom')).toEqual(tokenSet('cai'));
    expect(gets).toEqual(['cai']);
  });

  it(`reads its own when the set read ahead is older than ${READ_AHEAD_MAX_AGE_MS} ms`, async () => {
    const now = performance.now();
    await refresher.readAhead([{ user_id: 'ann', provider: 'dexcom' }]);
    jest.spyOn(performance, 'now').mockReturnValue(now + READ_AHEAD_MAX_AGE_MS + 1);
    stored.set('ann', tokenSet('ann', 2));
    expect(await refresher.usable('ann', 'dexcom')).toEqual(tokenSet('ann', 2));
    expect(gets).toEqual(['ann']);
  });

  it('when the read ahead fails, rejects, and each job reads its own', async () => {
    const failing = new TokenRefresher(
      { get: async (userId) => (gets.push(userId), stored.get(userId)), getMany: async () => Promise.reject(new Error('unavailable')), leaseRefresh: async () => undefined, save: async () => undefined },
      {} as DexcomClient,
      { owner: 'w1', clock: { now: () => new Date(NOW) }, logger: createLogger({ level: 'silent' }) },
      { marginMs: 300_000, leaseMs: 30_000, pollMs: 10 },
      new WorkerMetrics(),
    );
    await expect(failing.readAhead([{ user_id: 'ann', provider: 'dexcom' }])).rejects.toThrow('unavailable');
    expect(await failing.usable('ann', 'dexcom')).toEqual(tokenSet('ann'));
    expect(gets).toEqual(['ann']);
  });
});
