import { DEXCOM_BASE_URLS, type DexcomRegion } from '@vitals/dexcom-client';
import { VitalsError, dynamoDBSettingsFromEnv, type DynamoDBSettings, type EnvLike } from '@vitals/dynamodb-core';
import { syncScheduleFromEnv, tokenKeyRingOf, type SyncSchedule, type TokenKeyRing } from '@vitals/repositories';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { readDevTokenKey } from './dev-token-key.ts';
import { DEVELOPMENT_DEXCOM, WORKER_DEFAULTS } from './worker-defaults.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the worker runs with, read from the environment once (the README's configuration table). */
export interface WorkerConfig {
  production: boolean;
  dynamodb: DynamoDBSettings;
  table_prefix: string;
  log_level: LogLevel;
  /** Where the embedded DynamoDB keeps its files, and where development secrets are read. */
  data_dir: string;
  token_keys: TokenKeyRing;
  dexcom: { base_url: string; client_id: string; client_secret: string; redirect_uri: string; timeout_ms: number };
  /** The lease owner this process claims jobs and refresh leases as. */
  worker_id: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  /** How long a claimed job stays leased without a heartbeat. */
  job_lease_ms: number;
  /** First and longest wait between claims when no job was due. */
  idle_min_ms: number;
  idle_max_ms: number;
  /** An access token expiring within this is refreshed before use. */
  refresh_margin_ms: number;
  /** How long the refresh lease on a token set holds while its owner refreshes. */
  refresh_lease_ms: number;
  /** How often a worker that lost the refresh lease re-reads the token set. */
  refresh_poll_ms: number;
  /** Wait for a 429 without `Retry-After`, and the longest `Retry-After` honoured. */
  retry_after_default_ms: number;
  retry_after_max_ms: number;
  /** How often the overdue sweep runs, and how late a schedule must be to be repaired. */
  repair_every_ms: number;
  repair_overdue_ms: number;
  /** After a stop, a job still running this long is released at its next chunk. */
  stop_grace_ms: number;
  /** The schedule the repositories apply (`RepositorySettings.sync_schedule`). */
  sync_schedule: SyncSchedule;
  /** `/healthz` and `/metrics`; port 0 lets the OS choose (tests). */
  http_port: number;
  http_host: string;
}

const text = z.string().trim().min(1);
const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer ${min}..${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be an integer ${min}..${max}`).max(max, `must be an integer ${min}..${max}`));
const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), 'must be an http(s) URL');
/** Dexcom's host: a region name of the client's `DEXCOM_BASE_URLS` (as the API takes it), or any http(s) URL. */
const dexcomBaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => value in DEXCOM_BASE_URLS || httpUrl.safeParse(value).success,
    `must be an http(s) URL, or one of ${Object.keys(DEXCOM_BASE_URLS).join(', ')}`,
  )
  .transform((value) => (value in DEXCOM_BASE_URLS ? DEXCOM_BASE_URLS[value as DexcomRegion] : value));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every variable the worker reads besides DynamoDB's and the token keys, with its rule. */
const WorkerEnvSchema = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).optional(),
  TABLE_PREFIX: z.string().trim().optional(),
  VITALS_DATA_DIR: text.optional(),
  DEXCOM_BASE_URL: dexcomBaseUrl.optional(),
  DEXCOM_CLIENT_ID: text.optional(),
  DEXCOM_CLIENT_SECRET: text.optional(),
  DEXCOM_REDIRECT_URI: httpUrl.optional(),
  DEXCOM_TIMEOUT_MS: integer(100, 120_000).optional(),
  WORKER_ID: z.string().trim().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1..128 characters of A-Z a-z 0-9 . _ : @ -').optional(),
  WORKER_CONCURRENCY: integer(1, 100).optional(),
  WORKER_JOB_LEASE_MS: integer(500, DAY).optional(),
  WORKER_IDLE_MIN_MS: integer(10, HOUR).optional(),
  WORKER_IDLE_MAX_MS: integer(10, HOUR).optional(),
  WORKER_STOP_GRACE_MS: integer(0, HOUR).optional(),
  TOKEN_REFRESH_MARGIN_MS: integer(0, DAY).optional(),
  TOKEN_REFRESH_LEASE_MS: integer(200, HOUR).optional(),
  TOKEN_REFRESH_POLL_MS: integer(10, 60_000).optional(),
  RETRY_AFTER_DEFAULT_MS: integer(0, DAY).optional(),
  RETRY_AFTER_MAX_MS: integer(1_000, DAY).optional(),
  REPAIR_EVERY_MS: integer(100, DAY).optional(),
  REPAIR_OVERDUE_MS: integer(0, 30 * DAY).optional(),
  WORKER_HTTP_PORT: integer(0, 65_535).optional(),
  WORKER_HTTP_HOST: text.optional(),
});

/** The deployment's Dexcom application: required in production, and outside it all or none. */
const DEXCOM_SETTINGS = ['DEXCOM_CLIENT_ID', 'DEXCOM_CLIENT_SECRET', 'DEXCOM_BASE_URL', 'DEXCOM_REDIRECT_URI'] as const;

/**
 * Parses the worker's environment (the README's configuration table) plus
 * DynamoDB's variables (`dynamoDBSettingsFromEnv`), the sync schedule
 * (`syncScheduleFromEnv`, as the API reads it) and the token keys
 * (`TOKEN_ENCRYPTION_KEY`, `TOKEN_ENCRYPTION_PREVIOUS_KEYS`, as the API reads
 * them). Outside production the four Dexcom settings may all be absent, for
 * the simulator's (`npm run dexcom-simulator`), and the token key the one `npm start`
 * generated under `VITALS_DATA_DIR`; in production they are required. Throws
 * one `config.invalid` naming every bad variable; no message holds a secret.
 */
export function workerConfigFromEnv(env: EnvLike): WorkerConfig {
  const issues: { path: string; message: string }[] = [];
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = WorkerEnvSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      const shown = variable.includes('SECRET') ? '' : ` (got "${present[variable]}")`;
      issues.push({ path: variable, message: `${issue.message}${shown}` });
    }
  }
  const vars = parsed.success ? parsed.data : {};
  const production = env['NODE_ENV']?.trim() === 'production';

  let dynamodb: DynamoDBSettings | undefined;
  try {
    dynamodb = dynamoDBSettingsFromEnv(env);
  } catch (error) {
    if (!VitalsError.is(error, 'config.invalid')) throw error;
    issues.push(...error.details.issues);
  }

  // As the API reads them: all four, or — outside production — none (then the simulator's development client).
  const givenDexcom = DEXCOM_SETTINGS.filter((name) => present[name] !== undefined);
  if (production || givenDexcom.length > 0) {
    for (const name of DEXCOM_SETTINGS) {
      if (present[name] !== undefined) continue;
      issues.push({ path: name, message: production ? 'is required in production' : `is required with ${givenDexcom.join(', ')} (give all four, or none for the simulator)` });
    }
  }
  // The schedule through the one reader the API uses too, so the two cannot read it differently.
  const { schedule, issues: scheduleIssues } = syncScheduleFromEnv(env);
  issues.push(...scheduleIssues);
  const dataDir = resolve(vars.VITALS_DATA_DIR ?? '.data');
  const tokenKeys = tokenKeysOf(env, production, dataDir, issues);

  const dexcomTimeout = vars.DEXCOM_TIMEOUT_MS ?? WORKER_DEFAULTS.dexcom_timeout_ms;
  const jobLease = vars.WORKER_JOB_LEASE_MS ?? WORKER_DEFAULTS.job_lease_ms;
  const refreshLease = vars.TOKEN_REFRESH_LEASE_MS ?? WORKER_DEFAULTS.refresh_lease_ms;
  const idleMin = vars.WORKER_IDLE_MIN_MS ?? WORKER_DEFAULTS.idle_min_ms;
  const idleMax = vars.WORKER_IDLE_MAX_MS ?? Math.max(idleMin, WORKER_DEFAULTS.idle_max_ms);
  // A lease shorter than one Dexcom call could lapse while its holder still works: two would then run one job.
  if (jobLease < 2 * dexcomTimeout) {
    issues.push({ path: 'WORKER_JOB_LEASE_MS', message: `must be at least twice DEXCOM_TIMEOUT_MS (${2 * dexcomTimeout})` });
  }
  // Likewise a refresh lease: lapsing mid-refresh would let a second worker spend the same refresh token.
  if (refreshLease < 2 * dexcomTimeout) {
    issues.push({ path: 'TOKEN_REFRESH_LEASE_MS', message: `must be at least twice DEXCOM_TIMEOUT_MS (${2 * dexcomTimeout})` });
  }
  if (idleMax < idleMin) issues.push({ path: 'WORKER_IDLE_MAX_MS', message: 'must not be below WORKER_IDLE_MIN_MS' });
  const retryAfterMax = vars.RETRY_AFTER_MAX_MS ?? WORKER_DEFAULTS.retry_after_max_ms;

  if (issues.length > 0 || dynamodb === undefined || tokenKeys === undefined) {
    throw new VitalsError(
      'config.invalid',
      `Invalid environment:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
      { issues },
    );
  }
  return {
    production,
    dynamodb,
    table_prefix: vars.TABLE_PREFIX ?? '',
    log_level: vars.LOG_LEVEL ?? 'info',
    data_dir: dataDir,
    token_keys: tokenKeys,
    dexcom: {
      base_url: vars.DEXCOM_BASE_URL ?? DEVELOPMENT_DEXCOM.base_url,
      client_id: vars.DEXCOM_CLIENT_ID ?? DEVELOPMENT_DEXCOM.client_id,
      client_secret: vars.DEXCOM_CLIENT_SECRET ?? DEVELOPMENT_DEXCOM.client_secret,
      redirect_uri: vars.DEXCOM_REDIRECT_URI ?? DEVELOPMENT_DEXCOM.redirect_uri,
      timeout_ms: dexcomTimeout,
    },
    worker_id: vars.WORKER_ID ?? `${hostname()}-${process.pid}`,
    concurrency: vars.WORKER_CONCURRENCY ?? WORKER_DEFAULTS.concurrency,
    job_lease_ms: jobLease,
    idle_min_ms: idleMin,
    idle_max_ms: idleMax,
    refresh_margin_ms: vars.TOKEN_REFRESH_MARGIN_MS ?? WORKER_DEFAULTS.refresh_margin_ms,
    refresh_lease_ms: refreshLease,
    refresh_poll_ms: vars.TOKEN_REFRESH_POLL_MS ?? WORKER_DEFAULTS.refresh_poll_ms,
    retry_after_default_ms: Math.min(vars.RETRY_AFTER_DEFAULT_MS ?? WORKER_DEFAULTS.retry_after_default_ms, retryAfterMax),
    retry_after_max_ms: retryAfterMax,
    repair_every_ms: vars.REPAIR_EVERY_MS ?? WORKER_DEFAULTS.repair_every_ms,
    // A schedule is only broken once it is late by more than a run's own retries could explain.
    repair_overdue_ms: vars.REPAIR_OVERDUE_MS ?? Math.max(WORKER_DEFAULTS.repair_overdue_ms, 2 * schedule.interval_ms),
    stop_grace_ms: vars.WORKER_STOP_GRACE_MS ?? WORKER_DEFAULTS.stop_grace_ms,
    sync_schedule: schedule,
    http_port: vars.WORKER_HTTP_PORT ?? WORKER_DEFAULTS.http_port,
    http_host: vars.WORKER_HTTP_HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
  };
}

/** The key ring of `TOKEN_ENCRYPTION_KEY` (+ previous keys); outside production the development key `npm start` keeps. */
function tokenKeysOf(
  env: EnvLike,
  production: boolean,
  dataDir: string,
  issues: { path: string; message: string }[],
): TokenKeyRing | undefined {
  const given = env['TOKEN_ENCRYPTION_KEY']?.trim() || undefined;
  const current = given ?? (production ? undefined : readDevTokenKey(dataDir));
  if (current === undefined) {
    issues.push({
      path: 'TOKEN_ENCRYPTION_KEY',
      message: production
        ? 'is required in production (base64 of 32 random bytes, the API\'s key)'
        : `is required: the API's key, or run \`npm start\` once so that ${dataDir}/dev-secrets.json holds the development key`,
    });
    return undefined;
  }
  const previous = (env['TOKEN_ENCRYPTION_PREVIOUS_KEYS'] ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  try {
    return tokenKeyRingOf(current, previous);
  } catch (error) {
    if (!VitalsError.is(error, 'config.invalid')) throw error;
    issues.push({ path: 'TOKEN_ENCRYPTION_KEY', message: 'each key must be base64 of exactly 32 bytes, e.g. `openssl rand -base64 32`' });
    return undefined;
  }
}
