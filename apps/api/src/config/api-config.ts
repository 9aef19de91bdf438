import { VitalsError, dynamoDBSettingsFromEnv, type DynamoDBSettings, type EnvLike } from '@vitals/dynamodb-core';
import {
  readingChangesFromEnv,
  syncScheduleFromEnv,
  tokenKeyRingOf,
  type ReadingChangeSettings,
  type SyncSchedule,
  type TokenKeyRing,
} from '@vitals/repositories';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import type { DexcomClientConfig } from '@vitals/dexcom-client';
import type { DevSecrets } from './dev-secrets.ts';
import { dexcomSettingsFromEnv } from './dexcom-config.ts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

/** Everything the API runs with, read from the environment once (the README's configuration table). */
export interface ApiConfig {
  production: boolean;
  /** API port; 0 lets the OS choose (tests). */
  port: number;
  /** Interface to listen on. */
  host: string;
  dynamodb: DynamoDBSettings;
  table_prefix: string;
  log_level: LogLevel;
  /** Where `.data` lives: the embedded DynamoDB's files and the development secrets. */
  data_dir: string;
  /** HS256 key of bearer tokens. */
  jwt_secret: Uint8Array;
  /** Signs pagination cursors; derived from the JWT secret, so one secret serves every instance. */
  cursor_secret: string;
  token_keys: TokenKeyRing;
  /** Requests per minute per subject (valid bearer token) or client address. */
  rate_limit_per_minute: number;
  /** Largest accepted JSON body, in bytes. */
  body_limit_bytes: number;
  /** The user whose recovery health log this deployment holds; undefined: only admins may use it. */
  health_log_owner: string | undefined;
  /** Express's `trust proxy`: whose `X-Forwarded-For` names the client (rate limiting, logs). */
  trust_proxy: TrustProxy;
  /** The request headers must arrive within this (slow-header clients hold a socket otherwise). */
  http_headers_timeout_ms: number;
  /** The whole request, headers and declared body, must arrive within this; else 408. */
  http_request_timeout_ms: number;
  /**
   * How the API reaches Dexcom for the connect routes (required in production).
   * Absent elsewhere unless set: those routes then answer 503 "Dexcom is not configured".
   */
  dexcom?: DexcomClientConfig;
  /** How connected providers' runs are scheduled (`SYNC_*`, as the sync worker reads them): the API schedules the first run of a connection. */
  sync_schedule: SyncSchedule;
  /** The readings' change feed: tombstone retention and settle lag (`READING_TOMBSTONE_RETENTION_DAYS`, `READING_CHANGES_SETTLE_MS`). */
  reading_changes: ReadingChangeSettings;
  /** Signs the `state` of Dexcom authorizations; derived from the JWT secret under a label of its own. */
  authorization_state_secret: Uint8Array;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const MIN_JWT_SECRET_LENGTH = 32;
const DEFAULT_RATE_LIMIT = 1_200;
/** A reading array of 1000 is about 250 KB; 1 MB leaves room without inviting abuse. */
const DEFAULT_BODY_LIMIT = 1_048_576;
/** The development user `npm start` prints a token for owns the development health log. */
const DEVELOPMENT_HEALTH_LOG_OWNER = 'demo';
/** Headers are a few KB: 10 s is ample on any link, and a sixth of Node's 60 s for slow-header clients. */
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Room for the largest body (1 MB) at about 35 KB/s; a body declared and never sent is a 408 after this. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Parses the API's environment: `PORT`, `HOST`, `LOG_LEVEL`, `TABLE_PREFIX`,
 * `API_JWT_SECRET`, `TOKEN_ENCRYPTION_KEY` (base64 of 32 bytes; older keys
 * still readable in `TOKEN_ENCRYPTION_PREVIOUS_KEYS`, comma-separated),
 * `RATE_LIMIT_PER_MINUTE`, `BODY_LIMIT_BYTES`, `TRUST_PROXY`, `HTTP_HEADERS_TIMEOUT_MS`,
 * `HTTP_REQUEST_TIMEOUT_MS`, `VITALS_DATA_DIR`, `HEALTH_LOG_OWNER` (default
 * `demo` outside production, none in it), the Dexcom variables of
 * `dexcomSettingsFromEnv` (required in production), the sync schedule's
 * `SYNC_*` (`syncScheduleFromEnv`), the change feed's `READING_*`
 * (`readingChangesFromEnv`), plus the
 * DynamoDB variables of `dynamoDBSettingsFromEnv`. Outside production the two
 * secrets default to `devSecrets` (generated once under `.data/`); in
 * production they are required. Throws one `config.invalid` listing every
 * problem. Messages never contain a secret.
 */
export function apiConfigFromEnv(env: EnvLike, devSecrets?: (dataDir: string) => DevSecrets): ApiConfig {
  const issues: { path: string; message: string }[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
      issues.push({ path: name, message: `must be an integer ${min}..${max} (got "${raw}")` });
      return fallback;
    }
    return parsed;
  };

  const production = value('NODE_ENV') === 'production';
  let dynamodb: DynamoDBSettings | undefined;
  try {
    dynamodb = dynamoDBSettingsFromEnv(env);
  } catch (error) {
    if (!VitalsError.is(error, 'config.invalid')) throw error;
    issues.push(...error.details.issues);
  }

  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    issues.push({ path: 'LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")` });
  }

  const dataDir = resolve(value('VITALS_DATA_DIR') ?? '.data');
  const generated = production ? undefined : devSecrets?.(dataDir);
  const jwtSecret = value('API_JWT_SECRET') ?? generated?.api_jwt_secret;
  if (jwtSecret === undefined) {
    issues.push({ path: 'API_JWT_SECRET', message: 'is required in production' });
  } else if (jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    issues.push({ path: 'API_JWT_SECRET', message: `must be at least ${MIN_JWT_SECRET_LENGTH} characters` });
  }

  const currentKey = value('TOKEN_ENCRYPTION_KEY') ?? generated?.token_encryption_key;
  const previousKeys = (value('TOKEN_ENCRYPTION_PREVIOUS_KEYS') ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  let tokenKeys: TokenKeyRing | undefined;
  if (currentKey === undefined) {
    issues.push({ path: 'TOKEN_ENCRYPTION_KEY', message: 'is required in production (base64 of 32 random bytes)' });
  } else {
    try {
      tokenKeys = tokenKeyRingOf(currentKey, previousKeys);
    } catch (error) {
      if (!VitalsError.is(error, 'config.invalid')) throw error;
      issues.push({
        path: 'TOKEN_ENCRYPTION_KEY',
        message: 'each key must be base64 of exactly 32 bytes, e.g. `openssl rand -base64 32`',
      });
    }
  }

  const config = {
    production,
    port: integer('PORT', 0, 65_535, 3000),
    host: value('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1'),
    table_prefix: value('TABLE_PREFIX') ?? '',
    log_level: logLevel as LogLevel,
    data_dir: dataDir,
    rate_limit_per_minute: integer('RATE_LIMIT_PER_MINUTE', 1, 100_000_000, DEFAULT_RATE_LIMIT),
    body_limit_bytes: integer('BODY_LIMIT_BYTES', 1_024, 16_777_216, DEFAULT_BODY_LIMIT),
    health_log_owner: value('HEALTH_LOG_OWNER') ?? (production ? undefined : DEVELOPMENT_HEALTH_LOG_OWNER),
    http_headers_timeout_ms: integer('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000, DEFAULT_HEADERS_TIMEOUT_MS),
    http_request_timeout_ms: integer('HTTP_REQUEST_TIMEOUT_MS', 100, 3_600_000, DEFAULT_REQUEST_TIMEOUT_MS),
  };
  if (config.http_headers_timeout_ms > config.http_request_timeout_ms) {
    issues.push({ path: 'HTTP_HEADERS_TIMEOUT_MS', message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)' });
  }
  const { dexcom, issues: dexcomIssues } = dexcomSettingsFromEnv(value, production);
  issues.push(...dexcomIssues);
  const { schedule: syncSchedule, issues: scheduleIssues } = syncScheduleFromEnv(env);
  issues.push(...scheduleIssues);
  const { settings: readingChanges, issues: readingChangeIssues } = readingChangesFromEnv(env);
  issues.push(...readingChangeIssues);
  const trustProxy = parseTrustProxy(env['TRUST_PROXY']);
  if ('message' in trustProxy) issues.push({ path: 'TRUST_PROXY', message: trustProxy.message });
  if (issues.length > 0 || dynamodb === undefined || jwtSecret === undefined || tokenKeys === undefined) {
    throw new VitalsError(
      'config.invalid',
      `Invalid environment:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
      { issues },
    );
  }
  return {
    ...config,
    trust_proxy: 'value' in trustProxy ? trustProxy.value : false,
    dynamodb,
    jwt_secret: new TextEncoder().encode(jwtSecret),
    cursor_secret: createHmac('sha256', jwtSecret).update('vitals/pagination-cursor').digest('base64url'),
    token_keys: tokenKeys,
    ...(dexcom === undefined ? {} : { dexcom }),
    sync_schedule: syncSchedule,
    reading_changes: readingChanges,
    authorization_state_secret: createHmac('sha256', jwtSecret).update('vitals/dexcom-authorization-state').digest(),
  };
}
