import type { SyncJob } from '@vitals/models';

/** How many due jobs a listing reads when it also fills a `DueJobCandidates`. */
const DEFAULT_SIZE = 16;

/**
 * Due jobs a `claimDue` listed but did not need, kept for the same caller's
 * next claims. A sync worker claims each time a run ends; listing due jobs
 * (a query of the one `pending` partition of the status index, which every
 * worker reads) once per few claims rather than once per claim spares that
 * partition and a request per job.
 *
 * A candidate is only a hint: its claim is conditional, so a job claimed or
 * rescheduled elsewhere meanwhile is merely lost. The candidates expire
 * `maxAgeMs` after their listing (jobs due since then wait at most that
 * long), and a listing of which one was lost is not kept: other workers are
 * claiming from it too.
 */
export class DueJobCandidates {
  private jobs: SyncJob[] = [];
  private listedAtMs = Number.NEGATIVE_INFINITY;

  /**
   * `onListing`, when given, is told every listing of due jobs as it is
   * read, before any of it is claimed, so the caller can read ahead what
   * those jobs will need (the sync worker: their token sets and their
   * users' settings). It runs
   * inside the claim and must not throw; work it starts is its own.
   */
  constructor(
    readonly maxAgeMs: number,
    readonly size = DEFAULT_SIZE,
    private readonly onListing?: (jobs: readonly SyncJob[]) => void,
  ) {}

  /** A listing was read: tells `onListing`. */
  listed(jobs: readonly SyncJob[]): void {
    this.onListing?.(jobs);
  }

  /** Up to `count` candidates, removed from the pool; none once the listing is older than `maxAgeMs`. */
  take(count: number, nowMs: number): SyncJob[] {
    if (nowMs - this.listedAtMs > this.maxAgeMs) this.jobs = [];
    return this.jobs.splice(0, count);
  }

  /** Keeps the untried candidates of a listing made at `nowMs`, in place of any left. */
  keep(jobs: readonly SyncJob[], nowMs: number): void {
    this.jobs = [...jobs];
    this.listedAtMs = nowMs;
  }

  discard(): void {
    this.jobs = [];
  }
}
