import { createLogger } from '@vitals/dynamodb-core';
import type { SyncJob } from '@vitals/models';
import { systemClock } from '@vitals/repositories';
import { WorkerMetrics } from '../metrics/worker-metrics.ts';
import { SyncWorker, type SyncWorkerParts } from './sync-worker.ts';

/*
 * The loop's timing edge cases, which the real repositories cannot produce on
 * demand: a stop arriving while a claim is in flight, runs that end at once. The
 * loop's ordinary work is tested against the real parts (the e2e specs).
 */

const settings = { concurrency: 1, jobLeaseMs: 60_000, idleMinMs: 60_000, idleMaxMs: 60_000, repairEveryMs: 3_600_000, repairOverdueMs: 0, stopGraceMs: 0 };
const job = (id: string) => ({ job_id: id }) as SyncJob;
const later = <T>(ms: number, value: T) => new Promise<T>((done) => setTimeout(() => done(value), ms));

function partsWith(claimDue: SyncWorkerParts['claimDue'], run: SyncWorkerParts['run']): SyncWorkerParts {
  return {
    claimDue,
    run,
    repairOverdue: async () => [],
    metrics: new WorkerMetrics(),
    context: { owner: 'w', clock: systemClock, logger: createLogger({ level: 'silent' }) },
  };
}

describe('SyncWorker', () => {
  it('when stop() comes while a claim is in flight, stops at once instead of sleeping the idle wait', async () => {
    const worker = new SyncWorker(partsWith(() => later(100, []), async () => 'completed'), settings);
    worker.start();
    await later(20, undefined);
    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(worker.active).toBe(false);
  });

  it('when runs end at once, claims again right away, never more jobs than its concurrency', async () => {
    const claims: number[] = [];
    const parts = partsWith(
      async (_owner, _lease, limit) => {
        claims.push(limit);
        return claims.length <= 2 ? [job(`job-${claims.length}`)] : [];
      },
      // Each run ends at once.
      async () => 'completed',
    );
    const worker = new SyncWorker(parts, settings);
    worker.start();
    await later(200, undefined);
    await worker.stop();
    expect(claims.slice(0, 3)).toEqual([1, 1, 1]);
    expect(await parts.metrics.jobsFinished.get()).toMatchObject({
      values: expect.arrayContaining([expect.objectContaining({ labels: { outcome: 'completed' }, value: 2 })]),
    });
  });

  it.each([
    ['looks for expired leases on its first claim only, within a quarter lease', 3_600_000, [true, false, false]],
    ['looks for expired leases on every claim once a quarter lease has passed', 0, [true, true, true]],
  ])('%s', async (_title, jobLeaseMs, expected) => {
    const asked: boolean[] = [];
    const parts = partsWith(
      async (_owner, _lease, _limit, expiredLeases) => {
        asked.push(expiredLeases);
        return asked.length <= 2 ? [job(`job-${asked.length}`)] : [];
      },
      async () => 'completed',
    );
    const worker = new SyncWorker(parts, { ...settings, jobLeaseMs });
    worker.start();
    await later(200, undefined);
    await worker.stop();
    expect(asked.slice(0, 3)).toEqual(expected);
  });
});
