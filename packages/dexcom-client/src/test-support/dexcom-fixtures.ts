import type { DexcomClientConfigInput } from '../dexcom-config.ts';
import type { EgvRecord } from '../dexcom-responses.schema.ts';

/** Secrets distinctive enough that finding them anywhere means they leaked. */
export const SECRETS = {
  clientSecret: 'client secret Zq8v!&=+/?',
  code: 'auth-code-Kp4rT7mN2Lw8Qe5Rt',
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.access-Hs6dJ1fL5',
  refreshToken: 'refresh-token-Bx3cV8nQ0Zm4Wn7',
  newAccessToken: 'eyJhbGciOiJSUzI1NiJ9.access-NEW-Yt2uI9oP4',
  newRefreshToken: 'refresh-token-NEW-Ae5sD6fG7Hj1',
} as const;

export function clientConfig(baseUrl: string, extra: Partial<DexcomClientConfigInput> = {}): DexcomClientConfigInput {
  return {
    baseUrl,
    clientId: 'vitals-test-client',
    clientSecret: SECRETS.clientSecret,
    redirectUri: 'http://127.0.0.1:3000/v1/connections/dexcom/callback',
    timeoutMs: 2_000,
    ...extra,
  };
}

/** A token endpoint answer as Dexcom documents it (with the extra fields its newer answers carry). */
export function tokenBody(extra: Record<string, unknown> = {}) {
  return {
    access_token: SECRETS.newAccessToken,
    expires_in: 7200,
    token_type: 'Bearer',
    refresh_token: SECRETS.newRefreshToken,
    refresh_expires_in: 0,
    'not-before-policy': '1726871301,',
    session_state: '65a415bf-25ad-4e0a-8381-1b78db6a8ea7',
    ...extra,
  };
}

/** A documented v3 EGV record; `overrides` replace fields (`undefined` removes one). */
export function egvRecord(overrides: Partial<Record<keyof EgvRecord, unknown>> = {}): Record<string, unknown> {
  const record: Record<string, unknown> = {
    recordId: '3f17180d-5a7e-8450-09c8-cb7e76447107',
    systemTime: '2026-04-30T15:00:00',
    displayTime: '2026-04-30T17:00:00',
    transmitterId: '8HX3LM',
    transmitterTicks: 64309839,
    value: 138,
    status: 'ok',
    trend: 'fortyFiveUp',
    trendRate: 1.4,
    unit: 'mg/dL',
    rateUnit: 'mg/dL/min',
    displayDevice: 'iOS',
    transmitterGeneration: 'g7',
    ...overrides,
  };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete record[key];
  return record;
}

/** A parsed record (the type `egvToReadingInput` takes), built the same way. */
export function parsedEgvRecord(overrides: Partial<EgvRecord> = {}): EgvRecord {
  return egvRecord(overrides) as unknown as EgvRecord;
}

/** An `egvs` answer around `records`. */
export function egvsBody(records: readonly unknown[]) {
  return { recordType: 'egv', recordVersion: '3.0', userId: '079a528d-7cf7-d4b4-7704-1efbd08f921d', records };
}

/** A `dataRange` answer whose three windows span `start`..`end`. */
export function dataRangeBody(start: string, end: string) {
  const window = { start: { systemTime: start, displayTime: start }, end: { systemTime: end, displayTime: end } };
  return {
    recordType: 'dataRange',
    recordVersion: '3.0',
    userId: '5b329ebcfbf2f0ba7e49d4c5eb57775468f5ee657ac16fcde07e1fd08197b4c7',
    calibrations: window,
    egvs: window,
    events: window,
  };
}
