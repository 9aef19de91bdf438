import { DEXCOM_BASE_URLS, DexcomClientConfigSchema, type DexcomClientConfig, type DexcomRegion } from '@vitals/dexcom-client';

/** The variables that configure the Dexcom connection, all or none. */
export const DEXCOM_VARIABLES = ['DEXCOM_CLIENT_ID', 'DEXCOM_CLIENT_SECRET', 'DEXCOM_BASE_URL', 'DEXCOM_REDIRECT_URI'] as const;

type DexcomVariable = (typeof DEXCOM_VARIABLES)[number];

/** Which variable holds each field of the client's config, for messages that name the variable. */
const VARIABLE_OF_FIELD: Readonly<Record<string, DexcomVariable>> = {
  clientId: 'DEXCOM_CLIENT_ID',
  clientSecret: 'DEXCOM_CLIENT_SECRET',
  baseUrl: 'DEXCOM_BASE_URL',
  redirectUri: 'DEXCOM_REDIRECT_URI',
};

export type DexcomSettings = { dexcom: DexcomClientConfig | undefined; issues: { path: string; message: string }[] };

/**
 * The Dexcom client's config from `DEXCOM_CLIENT_ID`, `DEXCOM_CLIENT_SECRET`,
 * `DEXCOM_BASE_URL` (an http(s) URL, or a region name of `DEXCOM_BASE_URLS`:
 * `sandbox`, `us`, `eu`, `jp`) and `DEXCOM_REDIRECT_URI` (the public URL of
 * `GET /v1/connections/dexcom/callback`, as registered with Dexcom).
 * Production requires all four; elsewhere none is fine (the connect routes
 * then answer 503), but some without the others is a mistake worth
 * stopping for. Messages name variables and rules, never a value.
 */
export function dexcomSettingsFromEnv(value: (name: string) => string | undefined, production: boolean): DexcomSettings {
  const present = DEXCOM_VARIABLES.filter((name) => value(name) !== undefined);
  if (present.length === 0 && !production) return { dexcom: undefined, issues: [] };
  const missing = DEXCOM_VARIABLES.filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    const why = production ? 'is required in production' : `is required with ${present.join(', ')} (set all four, or none)`;
    return { dexcom: undefined, issues: missing.map((path) => ({ path, message: why })) };
  }
  const baseUrl = value('DEXCOM_BASE_URL') as string;
  const parsed = DexcomClientConfigSchema.safeParse({
    clientId: value('DEXCOM_CLIENT_ID'),
    clientSecret: value('DEXCOM_CLIENT_SECRET'),
    baseUrl: baseUrl in DEXCOM_BASE_URLS ? DEXCOM_BASE_URLS[baseUrl as DexcomRegion] : baseUrl,
    redirectUri: value('DEXCOM_REDIRECT_URI'),
  });
  if (parsed.success) return { dexcom: parsed.data, issues: [] };
  return {
    dexcom: undefined,
    issues: parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const path = VARIABLE_OF_FIELD[field] ?? 'DEXCOM_*';
      const message = field === 'baseUrl' ? `${issue.message}, or one of ${Object.keys(DEXCOM_BASE_URLS).join(', ')}` : issue.message;
      return { path, message };
    }),
  };
}
