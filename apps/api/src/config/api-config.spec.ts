import { VitalsError } from '@vitals/dynamodb-core';
import { DEFAULT_SYNC_SCHEDULE } from '@vitals/repositories';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiConfigFromEnv } from './api-config.ts';
import { DEV_SECRETS_FILE, loadOrCreateDevSecrets } from './dev-secrets.ts';

const KEY = randomBytes(32).toString('base64');
const SECRET = 'a-production-secret-of-at-least-32-chars';
/** What production needs to reach Dexcom. */
const DEXCOM = {
  DEXCOM_CLIENT_ID: 'vitals-client',
  DEXCOM_CLIENT_SECRET: 'dexcom-client-secret-in-prod',
  DEXCOM_BASE_URL: 'https://api.dexcom.eu',
  DEXCOM_REDIRECT_URI: 'https://vitals.example/v1/connections/dexcom/callback',
};

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (VitalsError.is(error, 'config.invalid')) return error.details.issues;
    throw error;
  }
  throw new Error('expected config.invalid');
}

describe('apiConfigFromEnv', () => {
  describe('when nothing is set outside production', () => {
    it('uses the embedded DynamoDB Local, port 3000, loopback, and the development secrets', () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'api-config-'));
      const config = apiConfigFromEnv({ VITALS_DATA_DIR: dataDir }, loadOrCreateDevSecrets);
      expect(config).toMatchObject({
        production: false,
        port: 3000,
        host: '127.0.0.1',
        table_prefix: '',
        log_level: 'info',
        data_dir: dataDir,
        dynamodb: { endpoint: { mode: 'embedded', port: 8000 } },
        health_log_owner: 'demo',
      });
      const stored = JSON.parse(readFileSync(join(dataDir, DEV_SECRETS_FILE), 'utf8'));
      expect(new TextDecoder().decode(config.jwt_secret)).toBe(stored.api_jwt_secret);
      expect(Object.values(config.token_keys.keys)).toEqual([stored.token_encryption_key]);
    });
  });

  describe('when NODE_ENV=production', () => {
    it('refuses to start without the secrets and the Dexcom variables, naming each, and never generates them', () => {
      const generate = jest.fn(loadOrCreateDevSecrets);
      const issues = issuesOf(() => apiConfigFromEnv({ NODE_ENV: 'production' }, generate));
      expect(issues.map((issue) => issue.path)).toEqual([
        'API_JWT_SECRET',
        'TOKEN_ENCRYPTION_KEY',
        'DEXCOM_CLIENT_ID',
        'DEXCOM_CLIENT_SECRET',
        'DEXCOM_BASE_URL',
        'DEXCOM_REDIRECT_URI',
      ]);
      expect(generate).not.toHaveBeenCalled();
    });

    it('accepts the secrets, defaults to AWS and listens on every interface', () => {
      const config = apiConfigFromEnv({ NODE_ENV: 'production', API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY, ...DEXCOM });
      expect(config).toMatchObject({ production: true, host: '0.0.0.0', dynamodb: { endpoint: { mode: 'aws' } } });
    });

    it('names no health-log owner unless HEALTH_LOG_OWNER does (then only admins may use the log)', () => {
      const secrets = { NODE_ENV: 'production', API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY, ...DEXCOM };
      expect(apiConfigFromEnv(secrets).health_log_owner).toBeUndefined();
      expect(apiConfigFromEnv({ ...secrets, HEALTH_LOG_OWNER: 'alice' }).health_log_owner).toBe('alice');
    });
  });

  describe('when variables are bad', () => {
    it('lists every problem in one error, without echoing secrets', () => {
      let message = '';
      const issues = issuesOf(() => {
        try {
          return apiConfigFromEnv({
            PORT: 'eighty',
            LOG_LEVEL: 'loud',
            AWS_REGION: 'moon',
            API_JWT_SECRET: 'short-secret',
            TOKEN_ENCRYPTION_KEY: 'bm90LTMyLWJ5dGVz',
            RATE_LIMIT_PER_MINUTE: '0',
            SYNC_BACKFILL_DAYS: 'ninety',
          });
        } catch (error) {
          message = (error as Error).message;
          throw error;
        }
      });
      expect(issues.map((issue) => issue.path).sort()).toEqual(
        ['API_JWT_SECRET', 'AWS_REGION', 'LOG_LEVEL', 'PORT', 'RATE_LIMIT_PER_MINUTE', 'SYNC_BACKFILL_DAYS', 'TOKEN_ENCRYPTION_KEY'].sort(),
      );
      expect(message).toContain('PORT: must be an integer 0..65535 (got "eighty")');
      expect(message).not.toContain('short-secret');
      expect(message).not.toContain('bm90LTMyLWJ5dGVz');
    });
  });

  describe('when the sync schedule is set', () => {
    it('takes the SYNC_* variables the worker reads, and the defaults without them', () => {
      expect(apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY }).sync_schedule).toEqual(DEFAULT_SYNC_SCHEDULE);
      const config = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY, SYNC_BACKFILL_DAYS: '30', SYNC_MAX_ATTEMPTS: '7' });
      expect(config.sync_schedule).toMatchObject({ backfill_days: 30, max_attempts: 7 });
    });
  });

  describe('when previous token keys are given', () => {
    it('keeps them readable and encrypts with the current one, key ids being fingerprints', () => {
      const old = randomBytes(32).toString('base64');
      const config = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY, TOKEN_ENCRYPTION_PREVIOUS_KEYS: ` ${old} ` });
      expect(Object.keys(config.token_keys.keys)).toHaveLength(2);
      expect(config.token_keys.keys[config.token_keys.current_key_id]).toBe(KEY);
      expect(config.token_keys.current_key_id).not.toContain(KEY.slice(0, 8));
    });
  });

  it('derives a stable cursor secret from the JWT secret, so every instance verifies every cursor', () => {
    const one = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY });
    const two = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY });
    expect(one.cursor_secret).toBe(two.cursor_secret);
    expect(one.cursor_secret).not.toContain(SECRET);
  });

  it('derives the authorization-state key from the JWT secret under a label of its own: stable, and neither the JWT key nor the cursor key', () => {
    const one = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY });
    const two = apiConfigFromEnv({ API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY });
    const other = apiConfigFromEnv({ API_JWT_SECRET: `${SECRET}-other`, TOKEN_ENCRYPTION_KEY: KEY });
    const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');
    expect(hex(one.authorization_state_secret)).toBe(hex(two.authorization_state_secret));
    expect(hex(one.authorization_state_secret)).not.toBe(hex(other.authorization_state_secret));
    expect(one.authorization_state_secret).toHaveLength(32);
    expect(hex(one.authorization_state_secret)).not.toBe(hex(one.jwt_secret));
    expect(Buffer.from(one.authorization_state_secret).toString('base64url')).not.toBe(one.cursor_secret);
  });

  describe('the Dexcom variables', () => {
    const BASE = { API_JWT_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY };

    it('when none is set outside production, there is no Dexcom config (the connect routes answer 503)', () => {
      expect(apiConfigFromEnv(BASE).dexcom).toBeUndefined();
    });

    it('when all four are set, they become the client config with the default timeout', () => {
      expect(apiConfigFromEnv({ ...BASE, ...DEXCOM }).dexcom).toEqual({
        clientId: 'vitals-client',
        clientSecret: 'dexcom-client-secret-in-prod',
        baseUrl: 'https://api.dexcom.eu',
        redirectUri: 'https://vitals.example/v1/connections/dexcom/callback',
        timeoutMs: 10_000,
      });
    });

    it('when DEXCOM_BASE_URL is a region name, it is that region’s documented host', () => {
      expect(apiConfigFromEnv({ ...BASE, ...DEXCOM, DEXCOM_BASE_URL: 'sandbox' }).dexcom?.baseUrl).toBe('https://sandbox-api.dexcom.com');
      expect(apiConfigFromEnv({ ...BASE, ...DEXCOM, DEXCOM_BASE_URL: 'http://127.0.0.1:4100/' }).dexcom?.baseUrl).toBe('http://127.0.0.1:4100');
    });

    it('when only some are set outside production, refuses to start, naming the missing ones', () => {
      const issues = issuesOf(() => apiConfigFromEnv({ ...BASE, DEXCOM_CLIENT_ID: 'x', DEXCOM_BASE_URL: 'sandbox' }));
      expect(issues).toEqual([
        { path: 'DEXCOM_CLIENT_SECRET', message: 'is required with DEXCOM_CLIENT_ID, DEXCOM_BASE_URL (set all four, or none)' },
        { path: 'DEXCOM_REDIRECT_URI', message: 'is required with DEXCOM_CLIENT_ID, DEXCOM_BASE_URL (set all four, or none)' },
      ]);
    });

    it('when a URL is not one, names the variable and never echoes the client secret', () => {
      let message = '';
      const issues = issuesOf(() => {
        try {
          return apiConfigFromEnv({ ...BASE, ...DEXCOM, DEXCOM_BASE_URL: 'dexcom.example', DEXCOM_REDIRECT_URI: 'callback' });
        } catch (error) {
          message = (error as Error).message;
          throw error;
        }
      });
      expect(issues.map((issue) => issue.path)).toEqual(['DEXCOM_BASE_URL', 'DEXCOM_REDIRECT_URI']);
      expect(issues[0]?.message).toMatch(/http\(s\) URL.*or one of sandbox, us, eu, jp/);
      expect(message).not.toContain(DEXCOM.DEXCOM_CLIENT_SECRET);
    });
  });
});

describe('loadOrCreateDevSecrets', () => {
  it('creates the secrets once, readable only by the owner, and returns the same ones afterwards', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'dev-secrets-')), 'nested');
    const first = loadOrCreateDevSecrets(dataDir);
    expect(Buffer.from(first.token_encryption_key, 'base64')).toHaveLength(32);
    expect(statSync(join(dataDir, DEV_SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDevSecrets(dataDir)).toEqual(first);
  });
});
