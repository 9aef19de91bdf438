import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The one field of the development secrets file (`npm start` writes it) the worker needs. */
const DevSecretsSchema = z.object({ token_encryption_key: z.string().min(1) });

/**
 * The token key `npm start` generated into `<dataDir>/dev-secrets.json`, so a
 * development worker opens the tokens the development API stored; undefined
 * when there is no such file (or it is not one). Never used in production.
 */
export function readDevTokenKey(dataDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = DevSecretsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.token_encryption_key : undefined;
  } catch {
    return undefined;
  }
}
