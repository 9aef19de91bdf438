import { z } from 'zod';
import { DexcomError } from './dexcom-error.ts';

/** Dexcom's documented API hosts: the sandbox and the production region a user's account lives in. */
export const DEXCOM_BASE_URLS = {
  sandbox: 'https://sandbox-api.dexcom.com',
  us: 'https://api.dexcom.com',
  eu: 'https://api.dexcom.eu',
  jp: 'https://api.dexcom.jp',
} as const;

export type DexcomRegion = keyof typeof DEXCOM_BASE_URLS;

/** A request that takes longer than this, body included, is given up as `dexcom.unavailable`. */
export const DEFAULT_DEXCOM_TIMEOUT_MS = 10_000;

function httpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' ? url : undefined;
  } catch {
    return undefined;
  }
}

const HttpUrlSchema = z.string().refine((value) => httpUrl(value) !== undefined, { message: 'must be an http(s) URL without credentials' });

/** Paths are appended to it, so it has no query or fragment. */
const BaseUrlSchema = z
  .string()
  .refine(
    (value) => {
      const url = httpUrl(value);
      return url !== undefined && url.search === '' && url.hash === '';
    },
    { message: 'must be an http(s) URL without credentials, query or fragment' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/**
 * How a client reaches Dexcom: `baseUrl` is one of {@link DEXCOM_BASE_URLS}
 * (or a Dexcom-shaped server in tests; a trailing `/` is dropped),
 * `clientId`/`clientSecret` the app's credentials, `redirectUri` the one
 * registered with the app, `timeoutMs` the limit on each request.
 */
export const DexcomClientConfigSchema = z.strictObject({
  baseUrl: BaseUrlSchema,
  clientId: z.string().min(1).max(1_000),
  clientSecret: z.string().min(1).max(1_000),
  redirectUri: HttpUrlSchema,
  timeoutMs: z.number().int().min(1).max(300_000).default(DEFAULT_DEXCOM_TIMEOUT_MS),
});

export type DexcomClientConfig = z.output<typeof DexcomClientConfigSchema>;
export type DexcomClientConfigInput = z.input<typeof DexcomClientConfigSchema>;

/**
 * The validated config, or `dexcom.invalidConfig` listing each problem by
 * field. Messages name fields and rules only, never a value: a secret
 * passed in the wrong field is not repeated.
 */
export function parseDexcomConfig(config: unknown): DexcomClientConfig {
  const parsed = DexcomClientConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
  throw new DexcomError('dexcom.invalidConfig', `invalid Dexcom client config: ${problems.join('; ')}`, {
    details: { problems },
  });
}
