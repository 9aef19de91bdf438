import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a run ended, the label of `vitals_sync_jobs_finished_total`. */
export type RunOutcome =
  /** Completed; the next run is scheduled. */
  | 'completed'
  /** A failed attempt: retried with backoff, or failed for good after the last one. */
  | 'failed'
  /** Rate limited: back to pending at `Retry-After`, the attempt not counted. */
  | 'deferred'
  /** Dexcom refused the refresh token: the connection needs the person again. */
  | 'reauthorization_required'
  /** Given back (pending, due now) because the worker is stopping. */
  | 'released'
  /** The lease was lost (expired and taken over, or the job cancelled): nothing written for it. */
  | 'lost'
  /** The token set was gone (disconnected meanwhile): the job cancelled. */
  | 'cancelled';

/**
 * The worker's Prometheus metrics, in a registry of its own (so that several
 * workers in one process, as in tests, keep theirs apart), with Node's
 * default process metrics.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly jobsClaimed: Counter;
  readonly jobsFinished: Counter<'outcome'>;
  readonly jobsRunning: Gauge;
  readonly recordsSynced: Counter;
  readonly recordsSkipped: Counter<'reason'>;
  readonly tokenRefreshes: Counter<'result'>;
  readonly dexcomRequests: Counter<'endpoint' | 'status'>;
  readonly dexcomLatency: Histogram<'endpoint'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.jobsClaimed = new Counter({ name: 'vitals_sync_jobs_claimed_total', help: 'Sync jobs this worker claimed', registers });
    this.jobsFinished = new Counter({
      name: 'vitals_sync_jobs_finished_total',
      help: 'Sync job runs by how they ended: completed, failed, deferred (429), reauthorization_required, released, lost, cancelled',
      labelNames: ['outcome'],
      registers,
    });
    this.jobsRunning = new Gauge({ name: 'vitals_sync_jobs_running', help: 'Sync jobs running now', registers });
    this.recordsSynced = new Counter({
      name: 'vitals_sync_records_synced_total',
      help: 'Readings written by completed chunks (new or changed; unchanged ones are not written)',
      registers,
    });
    this.recordsSkipped = new Counter({
      name: 'vitals_sync_records_skipped_total',
      help: 'Dexcom records not stored: malformed, not a reading, or a second record at the same instant',
      labelNames: ['reason'],
      registers,
    });
    this.tokenRefreshes = new Counter({
      name: 'vitals_sync_token_refreshes_total',
      help: 'Token refreshes: refreshed (this worker spent the refresh token), awaited (another worker did), failed',
      labelNames: ['result'],
      registers,
    });
    this.dexcomRequests = new Counter({
      name: 'vitals_dexcom_requests_total',
      help: 'Requests to Dexcom by endpoint and HTTP status ("timeout" or "network" when no answer came)',
      labelNames: ['endpoint', 'status'],
      registers,
    });
    this.dexcomLatency = new Histogram({
      name: 'vitals_dexcom_request_duration_seconds',
      help: 'Time until Dexcom answered (headers), by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    for (const outcome of ['completed', 'failed', 'deferred', 'reauthorization_required', 'released', 'lost', 'cancelled'] satisfies RunOutcome[]) {
      this.jobsFinished.inc({ outcome }, 0);
    }
  }

  /** The text exposition format and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
