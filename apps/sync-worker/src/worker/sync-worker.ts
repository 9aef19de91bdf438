import type { SyncJob } from '@vitals/models';
import type { RunOutcome, WorkerMetrics } from '../metrics/worker-metrics.ts';
import { describe } from '../sync/sync-run.ts';
import type { RunContext } from '../sync/sync-ports.ts';

export interface SyncWorkerSettings {
  concurrency: number;
  jobLeaseMs: number;
  idleMinMs: number;
  idleMaxMs: number;
  repairEveryMs: number;
  repairOverdueMs: number;
  stopGraceMs: number;
}

export interface SyncWorkerParts {
  /** `SyncJobRepository.claimDue`; `expiredLeases` says whether to look for jobs whose lease expired too. */
  claimDue(owner: string, leaseMs: number, limit: number, expiredLeases: boolean): Promise<SyncJob[]>;
  /** `ConnectionService.repairOverdue`. */
  repairOverdue(overdueMs: number): Promise<SyncJob[]>;
  /** One job to its end; `shouldRelease` turns true once the worker has been stopping longer than the grace. */
  run(job: SyncJob, shouldRelease: () => boolean): Promise<RunOutcome>;
  metrics: WorkerMetrics;
  context: RunContext;
}

/**
 * The worker's loop: claims due jobs with a lease, up to `concurrency` at
 * once, and runs each; waits longer and longer (up to `idleMaxMs`) while
 * nothing is due; repairs overdue schedules every `repairEveryMs`. `stop()`
 * stops claiming and resolves once every run has finished, or — past the
 * grace — given its job back at its next chunk.
 */
export class SyncWorker {
  private readonly running = new Set<Promise<void>>();
  private readonly runningIds = new Set<string>();
  private stoppingSince: number | undefined;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastRepair = 0;
  private lastExpiredLeaseScan = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly parts: SyncWorkerParts,
    private readonly settings: SyncWorkerSettings,
  ) {}

  /** True from `start()` until `stop()`. */
  get active(): boolean {
    return this.loopDone !== undefined && this.stoppingSince === undefined;
  }

  /** Jobs running now. */
  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    if (this.loopDone !== undefined) throw new Error('the worker was already started');
    this.loopDone = this.loop();
  }

  /** Stops claiming, then waits for every run to finish or release its job. Idempotent. */
  async stop(): Promise<void> {
    this.stoppingSince ??= Date.now();
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const log = this.parts.context.logger;
    let idleMs = this.settings.idleMinMs;
    // The context's logger names the lease owner on every line already.
    log.info({ concurrency: this.settings.concurrency }, 'sync worker started');
    while (this.stoppingSince === undefined) {
      await this.repairIfDue();
      const free = this.settings.concurrency - this.running.size;
      let claimed: SyncJob[] = [];
      if (free > 0) {
        try {
          const expiredLeases = this.expiredLeaseScanDue();
          claimed = await this.parts.claimDue(this.parts.context.owner, this.settings.jobLeaseMs, free, expiredLeases);
          if (expiredLeases) this.lastExpiredLeaseScan = Date.now();
        } catch (error) {
          log.error({ error: describe(error) }, 'claiming due jobs failed; trying again after a pause');
        }
      }
      // Jobs claimed as the stop came run all the same: they finish, or are released at their next chunk.
      for (const job of claimed) this.launch(job);
      if (claimed.length > 0) {
        idleMs = this.settings.idleMinMs;
        if (this.running.size >= this.settings.concurrency) await this.pause(undefined);
        continue;
      }
      // Nothing due (or all slots busy): wait, longer each time nothing comes, or until a run ends.
      await this.pause(free > 0 ? idleMs : undefined);
      if (free > 0) idleMs = Math.min(this.settings.idleMaxMs, idleMs * 2);
    }
    log.info({ in_flight: this.running.size }, 'sync worker stopping: no more claims; finishing the jobs in flight');
    await Promise.all(this.running);
    log.info({}, 'sync worker stopped');
  }

  /**
   * True once a quarter lease has passed since the last claim that looked
   * for expired leases and succeeded: that query reads every `running` job,
   * and this loop claims once per finished job. A lease that lapses is then
   * taken over within 1¼ leases of its last heartbeat.
   */
  private expiredLeaseScanDue(): boolean {
    return Date.now() - this.lastExpiredLeaseScan >= this.settings.jobLeaseMs / 4;
  }

  private launch(job: SyncJob): void {
    const { metrics, context } = this.parts;
    metrics.jobsClaimed.inc();
    if (this.runningIds.has(job.job_id)) {
      // A run of this very worker holds it (its lease lapsed and this worker claimed it back, or a stale listing
      // offered it): that run goes on, under the lease as it now stands.
      context.logger.warn({ job_id: job.job_id }, 'claimed a job this worker is still running; the run in progress goes on');
      return;
    }
    this.runningIds.add(job.job_id);
    metrics.jobsRunning.inc();
    const shouldRelease = () => this.stoppingSince !== undefined && Date.now() - this.stoppingSince >= this.settings.stopGraceMs;
    const run: Promise<void> = this.parts
      .run(job, shouldRelease)
      .then(
        (outcome) => metrics.jobsFinished.inc({ outcome }),
        (error: unknown) => {
          // runSyncJob ends every job itself; this is a bug's last line of defence: the lease lapses.
          context.logger.error({ job_id: job.job_id, error: describe(error) }, 'sync run failed unexpectedly');
          metrics.jobsFinished.inc({ outcome: 'lost' });
        },
      )
      .finally(() => {
        metrics.jobsRunning.dec();
        this.running.delete(run);
        this.runningIds.delete(job.job_id);
        this.wake?.();
      });
    this.running.add(run);
  }

  /**
   * Sleeps `ms` (forever when undefined) or until a run ends or `stop()` is
   * called; not at all when that already happened (a stop or a run ending
   * while the loop was claiming would otherwise go unnoticed).
   */
  private async pause(ms: number | undefined): Promise<void> {
    if (this.stoppingSince !== undefined) return;
    if (ms === undefined && this.running.size < this.settings.concurrency) return;
    await new Promise<void>((done) => {
      const timer = ms === undefined ? undefined : setTimeout(finish, ms);
      this.wake = finish;
      function finish() {
        if (timer !== undefined) clearTimeout(timer);
        done();
      }
    });
    this.wake = undefined;
  }

  private async repairIfDue(): Promise<void> {
    if (Date.now() - this.lastRepair < this.settings.repairEveryMs) return;
    this.lastRepair = Date.now();
    try {
      const repaired = await this.parts.repairOverdue(this.settings.repairOverdueMs);
      if (repaired.length > 0) {
        this.parts.context.logger.warn({ jobs: repaired.map((job) => job.job_id) }, 'overdue schedules repaired');
      }
    } catch (error) {
      this.parts.context.logger.error({ error: describe(error) }, 'repairing overdue schedules failed; trying again later');
    }
  }
}
