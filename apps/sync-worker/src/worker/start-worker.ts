import { DexcomClient, type FetchLike } from '@vitals/dexcom-client';
import { DynamoDBTables, createLogger, type EnvLike, type LoggerOptions } from '@vitals/dynamodb-core';
import { startLocalDynamoDB, type LocalDynamoDB } from '@vitals/local-dynamodb';
import {
  ConnectionService,
  DueJobCandidates,
  GlucoseReadingRepository,
  SyncJobRepository,
  UserSettingsRepository,
  UserTokenRepository,
  ensureTables,
  systemClock,
  type Clock,
} from '@vitals/repositories';
import type { Container } from 'inversify';
import { join } from 'node:path';
import { workerConfigFromEnv, type WorkerConfig } from '../config/worker-config.ts';
import { startHealthServer, type HealthServer } from '../http/health-server.ts';
import { instrumentedFetch } from '../metrics/instrumented-fetch.ts';
import { WorkerMetrics } from '../metrics/worker-metrics.ts';
import { describe, runSyncJob, type SyncRunParts } from '../sync/sync-run.ts';
import { TokenRefresher } from '../sync/token-refresh.ts';
import { SyncWorker } from './sync-worker.ts';
import { createWorkerContainer } from './worker-container.ts';

/** How long due jobs listed for later claims stay candidates: jobs due since wait at most this long. */
const DUE_CANDIDATES_MAX_AGE_MS = 1_000;

export interface RunningWorker {
  config: WorkerConfig;
  container: Container;
  worker: SyncWorker;
  metrics: WorkerMetrics;
  /** Where `/healthz` and `/metrics` answer. */
  url: string;
  /** Stops claiming, lets runs finish or release their jobs, then closes the HTTP server, DynamoDB and the embedded DynamoDB. Idempotent. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  /** Where log lines go; default standard output. */
  logDestination?: LoggerOptions['destination'];
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the global fetch (measured either way). */
  fetch?: FetchLike;
}

/**
 * Parses the environment once, brings up DynamoDB (the embedded DynamoDB
 * Local when so configured; the table definitions applied outside
 * production, as the API does), builds the worker and its HTTP server, and
 * starts the loop.
 */
export async function startWorker(env: EnvLike, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const config = workerConfigFromEnv(env);
  const logger = createLogger({ level: config.log_level, name: 'vitals-sync-worker', destination: options.logDestination });
  const clock = options.clock ?? systemClock;
  let local: LocalDynamoDB | undefined;
  let container: Container | undefined;
  try {
    if (config.dynamodb.endpoint.mode === 'embedded') {
      local = await startLocalDynamoDB({
        port: config.dynamodb.endpoint.port,
        dataDir: join(config.data_dir, 'dynamodb'),
        portSetting: 'DYNAMODB_LOCAL_PORT',
      });
    }
    container = await createWorkerContainer(config, logger, options.clock);
    if (!config.production) await ensureTables(container.get(DynamoDBTables), { prefix: config.table_prefix });

    const metrics = new WorkerMetrics();
    const dexcom = new DexcomClient(
      {
        baseUrl: config.dexcom.base_url,
        clientId: config.dexcom.client_id,
        clientSecret: config.dexcom.client_secret,
        redirectUri: config.dexcom.redirect_uri,
        timeoutMs: config.dexcom.timeout_ms,
      },
      { fetch: instrumentedFetch(metrics, options.fetch), now: () => clock.now() },
    );
    const context = { owner: config.worker_id, clock, logger: logger.child({ lease_owner: config.worker_id }) };
    const tokens = container.get(UserTokenRepository);
    const jobs = container.get(SyncJobRepository);
    const connections = container.get(ConnectionService);
    const refresher = new TokenRefresher(
      tokens,
      dexcom,
      context,
      { marginMs: config.refresh_margin_ms, leaseMs: config.refresh_lease_ms, pollMs: config.refresh_poll_ms },
      metrics,
    );
    // Due jobs listed but not yet needed, tried first by the next claims (a run ends every few hundred ms under load).
    // Each listed job reads its user's token set, and its readings write the user's settings (the daily rollups' zone):
    // one BatchGetItem each reads them ahead for the whole listing.
    const userSettings = container.get(UserSettingsRepository);
    // A warning: a read-ahead that keeps failing (say, a token set that cannot be decrypted) costs every listing a request per job.
    const readAheadFailed = (what: string) => (error: unknown) => {
      context.logger.warn({ error: describe(error) }, `could not read ahead the ${what} of the listed jobs; each job reads its own`);
    };
    const candidates = new DueJobCandidates(DUE_CANDIDATES_MAX_AGE_MS, undefined, (listed) => {
      refresher.readAhead(listed.map((job) => ({ user_id: job.user_id, provider: job.provider }))).catch(readAheadFailed('token sets'));
      userSettings.prime(listed.map((job) => job.user_id)).catch(readAheadFailed('settings'));
    });
    const parts: SyncRunParts = {
      endings: connections,
      leases: jobs,
      readings: container.get(GlucoseReadingRepository),
      refresher,
      dexcom,
      metrics,
      context,
      settings: {
        jobLeaseMs: config.job_lease_ms,
        retryAfterDefaultMs: config.retry_after_default_ms,
        retryAfterMaxMs: config.retry_after_max_ms,
      },
    };
    const worker = new SyncWorker(
      {
        claimDue: (owner, leaseMs, limit, expiredLeases) => jobs.claimDue(owner, leaseMs, limit, { expiredLeases, candidates }),
        repairOverdue: (overdueMs) => connections.repairOverdue(overdueMs),
        run: (job, shouldRelease) => runSyncJob(job, parts, shouldRelease),
        metrics,
        context,
      },
      {
        concurrency: config.concurrency,
        jobLeaseMs: config.job_lease_ms,
        idleMinMs: config.idle_min_ms,
        idleMaxMs: config.idle_max_ms,
        repairEveryMs: config.repair_every_ms,
        repairOverdueMs: config.repair_overdue_ms,
        stopGraceMs: config.stop_grace_ms,
      },
    );
    const http: HealthServer = await startHealthServer({
      host: config.http_host,
      port: config.http_port,
      healthy: () => worker.active,
      metrics,
    });
    worker.start();
    logger.info({ url: http.url, dexcom: dexcom.baseUrl, lease_owner: config.worker_id }, 'sync worker listening for /healthz and /metrics');

    const running = container;
    const embedded = local;
    let stopped: Promise<void> | undefined;
    const shutdown = async () => {
      await worker.stop();
      await http.close();
      await running.unbindAll();
      await embedded?.stop();
    };
    return { config, container, worker, metrics, url: http.url, stop: () => (stopped ??= shutdown()) };
  } catch (error) {
    await container?.unbindAll();
    await local?.stop();
    throw error;
  }
}
