export { DEXCOM_SCOPE, DexcomClient } from './dexcom-client.ts';
export type { DexcomClientDependencies, DexcomTokenSet, EgvsResult } from './dexcom-client.ts';
export {
  DEFAULT_DEXCOM_TIMEOUT_MS,
  DEXCOM_BASE_URLS,
  DexcomClientConfigSchema,
  parseDexcomConfig,
} from './dexcom-config.ts';
export type { DexcomClientConfig, DexcomClientConfigInput, DexcomRegion } from './dexcom-config.ts';
export { DexcomError } from './dexcom-error.ts';
export type { DexcomErrorCode, DexcomErrorOptions, UnavailableReason } from './dexcom-error.ts';
export { retryAfterSeconds } from './dexcom-http.ts';
export type { FetchLike } from './dexcom-http.ts';
export {
  DataRangeResponseSchema,
  DexcomDateTimeSchema,
  DexcomErrorBodySchema,
  DexcomTokenResponseSchema,
  EGV_RATE_UNITS,
  EGV_STATUSES,
  EGV_UNITS,
  EgvRecordSchema,
  EgvsEnvelopeSchema,
} from './dexcom-responses.schema.ts';
export type { DataRangeResponse, DataRangeWindow, DexcomTokenResponse, EgvRecord, EgvStatus } from './dexcom-responses.schema.ts';
export {
  MAX_EGV_WINDOW_DAYS,
  dexcomQueryTime,
  dexcomTimeToIso,
  egvWindows,
  formatDexcomTime,
  wholeSecondWindow,
} from './dexcom-time.ts';
export type { EgvWindow, InstantLike } from './dexcom-time.ts';
export { parseEgvRecords } from './egv-records.ts';
export type { InvalidEgvRecord, ParsedEgvRecords } from './egv-records.ts';
export { SENSOR_RANGE_MGDL, egvToReadingInput, egvsToReadingInputs } from './egv-to-reading.ts';
export type { EgvMapping, EgvMappingOptions, EgvReadingInputs, SkippedEgvRecord } from './egv-to-reading.ts';
