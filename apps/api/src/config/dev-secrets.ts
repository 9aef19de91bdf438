import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The secrets development mode generates once and keeps, so tokens and stored OAuth tokens survive restarts. */
export interface DevSecrets {
  api_jwt_secret: string;
  token_encryption_key: string;
}

const DevSecretsSchema = z.object({ api_jwt_secret: z.string().min(32), token_encryption_key: z.string().min(1) });

export const DEV_SECRETS_FILE = 'dev-secrets.json';

/**
 * Reads `<dataDir>/dev-secrets.json`, or creates it (mode 0600) with a new
 * random JWT secret and token encryption key. Never used in production.
 */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, DEV_SECRETS_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    const parsed = DevSecretsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file} is not a development secrets file; delete it to generate a new one`);
    return parsed.data;
  }
  const secrets: DevSecrets = {
    api_jwt_secret: randomBytes(48).toString('base64url'),
    token_encryption_key: randomBytes(32).toString('base64'),
  };
  mkdirSync(dataDir, { recursive: true });
  // `wx`: two processes starting at once must not overwrite each other's secrets.
  try {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevSecrets(dataDir);
    throw error;
  }
  return secrets;
}
