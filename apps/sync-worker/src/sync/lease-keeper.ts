import { VitalsError, type Logger } from '@vitals/dynamodb-core';
import type { SyncJob } from '@vitals/models';
import type { JobLeases, RunContext } from './sync-ports.ts';

/**
 * Keeps a running job's lease alive: a heartbeat every third of the lease
 * (a timer, so that one slow Dexcom call or write cannot outlast the lease),
 * and between chunks whenever a third of the lease has passed on the clock
 * leases are judged by. One heartbeat at a time. A heartbeat refused because
 * the job is no longer this worker's (claimed after a lapse, cancelled,
 * deleted) is remembered: the run must stop and write nothing more.
 */
export class LeaseKeeper {
  private current: SyncJob;
  private lostWith: VitalsError | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastBeat: number;

  constructor(
    job: SyncJob,
    private readonly leases: JobLeases,
    private readonly context: RunContext,
    private readonly leaseMs: number,
    private readonly log: Logger,
  ) {
    this.current = job;
    this.lastBeat = this.clockMs();
  }

  /** The job as its last heartbeat left it. */
  get job(): SyncJob {
    return this.current;
  }

  start(): void {
    this.timer = setInterval(() => void this.beat(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Between chunks: throws when the lease was lost, and beats when a third of it has passed. */
  async check(): Promise<void> {
    if (this.lostWith === undefined && this.clockMs() - this.lastBeat >= this.leaseMs / 3) await this.beat();
    if (this.lostWith !== undefined) throw this.lostWith;
  }

  /** Stops the timer and waits for a heartbeat in flight, so that nothing races the run's ending; throws a lost lease. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    if (this.lostWith !== undefined) throw this.lostWith;
  }

  private beat(): Promise<void> {
    if (this.lostWith !== undefined) return Promise.resolve();
    this.inFlight ??= this.heartbeat().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async heartbeat(): Promise<void> {
    try {
      this.current = await this.leases.heartbeat(this.current.job_id, this.context.owner, this.leaseMs);
      this.lastBeat = this.clockMs();
    } catch (error) {
      if (VitalsError.is(error, 'repository.conflict') || VitalsError.is(error, 'repository.invalidTransition') || VitalsError.is(error, 'repository.notFound')) {
        this.lostWith = error;
        clearInterval(this.timer);
        return;
      }
      // DynamoDB briefly away: the lease still has two thirds to run; the next beat tries again.
      this.log.warn({ error: { name: error instanceof Error ? error.name : 'unknown', message: error instanceof Error ? error.message : String(error) } }, 'heartbeat failed; trying again');
    }
  }

  private clockMs(): number {
    return this.context.clock.now().getTime();
  }
}
