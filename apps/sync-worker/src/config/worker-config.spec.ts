import { VitalsError } from '@vitals/dynamodb-core';
import { DEFAULT_SYNC_SCHEDULE, tokenKeyRingOf } from '@vitals/repositories';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerConfigFromEnv } from './worker-config.ts';
import { DEVELOPMENT_DEXCOM, WORKER_DEFAULTS } from './worker-defaults.ts';

const KEY = randomBytes(32).toString('base64');
const emptyDataDir = () => mkdtempSync(join(tmpdir(), 'worker-config-'));

/** The issues a bad environment is refused with, by variable. */
function issuesOf(env: Record<string, string>): Record<string, string> {
  try {
    workerConfigFromEnv(env);
  } catch (error) {
    if (!VitalsError.is(error, 'config.invalid')) throw error;
    return Object.fromEntries(error.details.issues.map((issue) => [issue.path, issue.message]));
  }
  throw new Error('the environment was accepted');
}

const production = {
  NODE_ENV: 'production',
  AWS_REGION: 'eu-west-1',
  TOKEN_ENCRYPTION_KEY: KEY,
  DEXCOM_CLIENT_ID: 'vitals-prod',
  DEXCOM_CLIENT_SECRET: 'a production secret 42!',
  DEXCOM_BASE_URL: 'https://api.dexcom.eu',
  DEXCOM_REDIRECT_URI: 'https://vitals.example/v1/connections/dexcom/callback',
};

describe('workerConfigFromEnv', () => {
  it('when only the token key is given outside production, runs on the defaults against the simulator and the embedded DynamoDB', () => {
    const config = workerConfigFromEnv({ TOKEN_ENCRYPTION_KEY: KEY, VITALS_DATA_DIR: emptyDataDir() });
    expect(config).toMatchObject({
      production: false,
      dynamodb: { endpoint: { mode: 'embedded', port: 8000 } },
      table_prefix: '',
      dexcom: { ...DEVELOPMENT_DEXCOM, timeout_ms: WORKER_DEFAULTS.dexcom_timeout_ms },
      concurrency: WORKER_DEFAULTS.concurrency,
      job_lease_ms: WORKER_DEFAULTS.job_lease_ms,
      sync_schedule: DEFAULT_SYNC_SCHEDULE,
      http_host: '127.0.0.1',
      http_port: WORKER_DEFAULTS.http_port,
    });
    expect(config.worker_id).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('when the API and the worker are given the same key, the worker gets the API\'s key ring (fingerprint ids)', () => {
    expect(workerConfigFromEnv({ ...production }).token_keys).toEqual(tokenKeyRingOf(KEY));
  });

  it('when no token key is given outside production, reads the development key `npm start` keeps under VITALS_DATA_DIR', () => {
    const dataDir = emptyDataDir();
    writeFileSync(join(dataDir, 'dev-secrets.json'), JSON.stringify({ api_jwt_secret: 'x'.repeat(48), token_encryption_key: KEY }));
    expect(workerConfigFromEnv({ VITALS_DATA_DIR: dataDir }).token_keys).toEqual(tokenKeyRingOf(KEY));
  });

  it('when no token key is given and there is no development key, names TOKEN_ENCRYPTION_KEY and how to get one', () => {
    expect(issuesOf({ VITALS_DATA_DIR: emptyDataDir() })['TOKEN_ENCRYPTION_KEY']).toMatch(/npm start/);
  });

  it('in production, requires each Dexcom setting and the token key, naming every missing one at once', () => {
    expect(issuesOf({ NODE_ENV: 'production', VITALS_DATA_DIR: emptyDataDir() })).toEqual({
      DEXCOM_CLIENT_ID: 'is required in production',
      DEXCOM_CLIENT_SECRET: 'is required in production',
      DEXCOM_BASE_URL: 'is required in production',
      DEXCOM_REDIRECT_URI: 'is required in production',
      TOKEN_ENCRYPTION_KEY: expect.stringContaining('is required in production'),
    });
  });

  it('when only some of the Dexcom settings are given outside production, names the missing ones, as the API does', () => {
    expect(issuesOf({ TOKEN_ENCRYPTION_KEY: KEY, DEXCOM_CLIENT_ID: 'mine', DEXCOM_BASE_URL: 'sandbox' })).toEqual({
      DEXCOM_CLIENT_SECRET: 'is required with DEXCOM_CLIENT_ID, DEXCOM_BASE_URL (give all four, or none for the simulator)',
      DEXCOM_REDIRECT_URI: 'is required with DEXCOM_CLIENT_ID, DEXCOM_BASE_URL (give all four, or none for the simulator)',
    });
  });

  it('in production with everything given, talks to AWS and listens on every interface', () => {
    const config = workerConfigFromEnv(production);
    expect(config).toMatchObject({ production: true, dynamodb: { endpoint: { mode: 'aws' } }, http_host: '0.0.0.0' });
    expect(config.dexcom).toMatchObject({ base_url: 'https://api.dexcom.eu', client_id: 'vitals-prod' });
  });

  it('when variables are bad, names each one with its rule and what was given, in one error', () => {
    expect(
      issuesOf({
        ...production,
        WORKER_CONCURRENCY: '0',
        SYNC_INTERVAL_MS: 'soon',
        DEXCOM_BASE_URL: 'api.dexcom.com',
        LOG_LEVEL: 'loud',
        DYNAMODB_ENDPOINT: 'ftp://x',
      }),
    ).toEqual({
      WORKER_CONCURRENCY: 'must be an integer 1..100 (got "0")',
      SYNC_INTERVAL_MS: 'must be an integer 100..2592000000 (got "soon")',
      DEXCOM_BASE_URL: 'must be an http(s) URL, or one of sandbox, us, eu, jp (got "api.dexcom.com")',
      LOG_LEVEL: expect.stringMatching(/^must be one of fatal, .* \(got "loud"\)$/),
      DYNAMODB_ENDPOINT: expect.stringContaining('must be "embedded", "aws" or an http(s) URL'),
    });
  });

  it('when a lease is shorter than two Dexcom timeouts, refuses it: it could lapse while its holder still works', () => {
    expect(issuesOf({ ...production, DEXCOM_TIMEOUT_MS: '5000', WORKER_JOB_LEASE_MS: '9000', TOKEN_REFRESH_LEASE_MS: '9999' })).toEqual({
      WORKER_JOB_LEASE_MS: 'must be at least twice DEXCOM_TIMEOUT_MS (10000)',
      TOKEN_REFRESH_LEASE_MS: 'must be at least twice DEXCOM_TIMEOUT_MS (10000)',
    });
  });

  it('when a secret or a key is bad, the message never holds it', () => {
    const badKey = Buffer.from('only sixteen byt').toString('base64');
    const error = (() => {
      try {
        return workerConfigFromEnv({ ...production, TOKEN_ENCRYPTION_KEY: badKey, DEXCOM_CLIENT_SECRET: ' ' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(VitalsError);
    const shown = `${(error as Error).message} ${JSON.stringify((error as VitalsError).details)}`;
    expect(shown).toContain('TOKEN_ENCRYPTION_KEY');
    expect(shown).toContain('DEXCOM_CLIENT_SECRET');
    expect(shown).not.toContain(badKey);
  });

  it('when DEXCOM_BASE_URL names a region, as the API takes it, uses that region\'s documented host', () => {
    expect(workerConfigFromEnv({ ...production, DEXCOM_BASE_URL: 'sandbox' }).dexcom.base_url).toBe('https://sandbox-api.dexcom.com');
  });

  it('when the schedule is set, hands it to the repositories as given', () => {
    const config = workerConfigFromEnv({
      ...production,
      SYNC_INTERVAL_MS: '2000',
      SYNC_OVERLAP_MS: '3600000',
      SYNC_BACKFILL_DAYS: '2',
      SYNC_MAX_ATTEMPTS: '3',
    });
    expect(config.sync_schedule).toEqual({ interval_ms: 2000, overlap_ms: 3_600_000, backfill_days: 2, max_attempts: 3 });
  });
});
