import { DexcomError, egvWindows, type DexcomClient, type EgvWindow } from '@vitals/dexcom-client';
import type { SyncJob } from '@vitals/models';
import type { GlucoseReadingRepository } from '@vitals/repositories';
import type { RunOutcome, WorkerMetrics } from '../metrics/worker-metrics.ts';
import { chunkReadings, type ChunkReadings } from './chunk-readings.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { classifyRunError, type RunFailure } from './run-errors.ts';
import type { JobLeases, RunContext, RunEndings } from './sync-ports.ts';
import type { TokenRefresher } from './token-refresh.ts';

export interface SyncRunSettings {
  /** The lease each heartbeat extends to. */
  jobLeaseMs: number;
  retryAfterDefaultMs: number;
  retryAfterMaxMs: number;
}

export interface SyncRunParts {
  endings: RunEndings;
  leases: JobLeases;
  readings: Pick<GlucoseReadingRepository, 'saveManyParsedWithCounts'>;
  refresher: TokenRefresher;
  dexcom: DexcomClient;
  metrics: WorkerMetrics;
  context: RunContext;
  settings: SyncRunSettings;
}

/** Asked between chunks: true when the worker is stopping and this run should give its job back. */
export type ShouldRelease = () => boolean;

/** Why a run gave its job back rather than finishing it. */
class Released extends Error {}

/**
 * One claimed job, start to end: a usable access token (refreshed once
 * across workers when near expiry), the job's window in ≤ 30-day chunks,
 * each chunk's readings through the batch path (one per instant), the
 * lease kept alive meanwhile (`LeaseKeeper`), and the ending — completed with the readings
 * written, deferred on 429, retried on 5xx and network errors, the
 * connection marked for reauthorization on `invalid_grant` — each through
 * `ConnectionService`, which schedules what comes next.
 *
 * Every chunk is idempotent (readings are upserted by instant), so a run
 * that dies anywhere is finished by whoever claims the job next.
 */
export async function runSyncJob(claimed: SyncJob, parts: SyncRunParts, shouldRelease: ShouldRelease): Promise<RunOutcome> {
  const { context, metrics } = parts;
  const log = context.logger.child({ job_id: claimed.job_id, user_id: claimed.user_id, attempt: claimed.attempts });
  const started = Date.now();
  const keeper = new LeaseKeeper(claimed, parts.leases, context, parts.settings.jobLeaseMs, log);
  keeper.start();
  let written = 0;
  let newest: string | undefined;
  try {
    let token: { access_token: string } = await parts.refresher.usable(claimed.user_id, claimed.provider);
    const windows = egvWindows(claimed.window_start, claimed.window_end);
    for (const [index, window] of windows.entries()) {
      if (index > 0) {
        if (shouldRelease()) throw new Released();
        await keeper.check();
      }
      const fetched = await fetchChunk(parts, claimed, token.access_token, window);
      token = fetched.token;
      const chunk = chunkReadings(fetched.result, context.clock.now());
      reportSkipped(parts, log, chunk);
      if (chunk.inputs.length > 0) {
        await keeper.check();
        const saved = await parts.readings.saveManyParsedWithCounts(claimed.user_id, chunk.inputs);
        const chunkWritten = saved.counts.new + saved.counts.changed;
        written += chunkWritten;
        metrics.recordsSynced.inc(chunkWritten);
        for (const input of chunk.inputs) if (newest === undefined || input.timestamp > newest) newest = input.timestamp;
        log.debug({ window_start: window.start.toISOString(), window_end: window.end.toISOString(), ...saved.counts }, 'chunk stored');
      }
    }
    // No heartbeat may race the ending; a lease lost meanwhile ends the run here, writing nothing.
    await keeper.stop();
    await parts.endings.completeRun(keeper.job, context.owner, {
      records_synced: written,
      ...(newest === undefined ? {} : { newest_reading_at: newest }),
    });
    log.info({ records_synced: written, chunks: windows.length, duration_ms: Date.now() - started }, 'sync job completed');
    return 'completed';
  } catch (thrown) {
    let error = thrown;
    try {
      await keeper.stop();
    } catch (lost) {
      error = lost;
    }
    if (error instanceof Released) return release(parts, keeper.job, log);
    const failure = classifyRunError(error, {
      now: context.clock.now(),
      retryAfterDefaultMs: parts.settings.retryAfterDefaultMs,
      retryAfterMaxMs: parts.settings.retryAfterMaxMs,
      previousError: claimed.last_error,
    });
    return endWith(parts, keeper.job, failure, log, written);
  }
}

/** One chunk's `egvs`; an access token Dexcom refuses (401) is replaced once — refreshed, or another worker's newer one. */
async function fetchChunk(parts: SyncRunParts, job: SyncJob, accessToken: string, window: EgvWindow) {
  try {
    return { token: { access_token: accessToken }, result: await parts.dexcom.egvs(accessToken, window) };
  } catch (error) {
    if (!(error instanceof DexcomError && error.code === 'dexcom.unauthorized')) throw error;
    const token = await parts.refresher.usable(job.user_id, job.provider, accessToken);
    return { token, result: await parts.dexcom.egvs(token.access_token, window) };
  }
}

function reportSkipped(parts: SyncRunParts, log: RunContext['logger'], chunk: ChunkReadings): void {
  const groups = { malformed: chunk.malformed, unmappable: chunk.unmappable, duplicate: chunk.duplicates };
  for (const [reason, records] of Object.entries(groups)) {
    if (records.length === 0) continue;
    parts.metrics.recordsSkipped.inc({ reason }, records.length);
    // Record ids and rule texts only: never a value or a time of a reading.
    log.warn({ reason, count: records.length, records: records.slice(0, 20) }, 'Dexcom records not stored');
  }
}

/** Gives the job back, due now, without spending an attempt: the worker is stopping. */
async function release(parts: SyncRunParts, job: SyncJob, log: RunContext['logger']): Promise<RunOutcome> {
  const reason = `released unfinished: worker ${parts.context.owner} stopped`;
  try {
    await parts.endings.deferRun(job, parts.context.owner, parts.context.clock.now(), reason);
    log.info({}, 'sync job released: the worker is stopping');
    return 'released';
  } catch (error) {
    // The lease lapses on its own; the next claim takes the job over.
    log.warn({ error: describe(error) }, 'could not release the sync job; it is taken over when its lease expires');
    return 'lost';
  }
}

async function endWith(parts: SyncRunParts, job: SyncJob, failure: RunFailure, log: RunContext['logger'], written: number): Promise<RunOutcome> {
  const { endings, context } = parts;
  const owner = context.owner;
  try {
    switch (failure.action) {
      case 'defer':
        await endings.deferRun(job, owner, failure.until, failure.reason);
        log.warn({ until: failure.until.toISOString(), records_synced: written }, failure.reason);
        return 'deferred';
      case 'fail':
        await endings.failRun(job, owner, failure.error);
        log.warn({ error: failure.error, records_synced: written }, 'sync job attempt failed');
        return 'failed';
      case 'reauthorize':
        await endings.requireReauthorization(job, owner, failure.error);
        log.warn({ error: failure.error }, 'connection needs reauthorization; nothing more is scheduled for it');
        return 'reauthorization_required';
      case 'cancel':
        await parts.leases.cancel(job.job_id);
        log.warn({ error: failure.error }, 'sync job cancelled: the connection is gone');
        return 'cancelled';
      case 'lost':
        log.warn({ error: failure.error }, 'sync job lease lost; another worker or a cancellation has it');
        return 'lost';
    }
  } catch (error) {
    log.error({ error: describe(error), action: failure.action }, 'could not record how the sync job ended; its lease will expire');
    return 'lost';
  }
}

/** An error as a log field: its name, code and message, no stack, nothing of a request. */
export function describe(error: unknown): Record<string, unknown> {
  if (error instanceof DexcomError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, message: error.message, ...('code' in error ? { code: error.code } : {}) };
  return { message: String(error) };
}
