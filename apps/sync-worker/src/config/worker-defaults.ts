import { DEFAULT_DEXCOM_TIMEOUT_MS } from '@vitals/dexcom-client';

/** The worker's defaults, in one place so the README's table and the code agree. */
export const WORKER_DEFAULTS = {
  dexcom_timeout_ms: DEFAULT_DEXCOM_TIMEOUT_MS,
  concurrency: 4,
  /** Two minutes: room for a 30-day chunk (one call, ≤ 8,640 readings written) between heartbeats. */
  job_lease_ms: 120_000,
  idle_min_ms: 1_000,
  idle_max_ms: 30_000,
  /** Refresh an access token (valid two hours) in its last five minutes. */
  refresh_margin_ms: 300_000,
  refresh_lease_ms: 60_000,
  refresh_poll_ms: 250,
  retry_after_default_ms: 60_000,
  /** Dexcom's limit is per hour: no wait it asks for needs to be longer. */
  retry_after_max_ms: 3_600_000,
  repair_every_ms: 300_000,
  repair_overdue_ms: 900_000,
  stop_grace_ms: 10_000,
  http_port: 9464,
} as const;

/** What `npm run dexcom-simulator` serves, so that a development worker needs no settings. */
export const DEVELOPMENT_DEXCOM = {
  base_url: 'http://127.0.0.1:8100',
  client_id: 'vitals-dev',
  client_secret: 'vitals-dev-secret',
  redirect_uri: 'http://127.0.0.1:3000/v1/connections/dexcom/callback',
} as const;
