export { ModelError } from './common/model-error.ts';
export type { ModelErrorCode } from './common/model-error.ts';
export {
  EpochSecondsSchema,
  HealthDateSchema,
  HealthTimeSchema,
  InstantInputSchema,
  IsoInstantSchema,
  ProviderSchema,
  UserIdSchema,
  VersionSchema,
  isHealthDate,
  isHealthTime,
} from './common/formats.schema.ts';
export type { HealthDate, HealthTime, IsoInstant } from './common/formats.schema.ts';
export { TEXT_LIMITS, isWellFormedText } from './common/text.schema.ts';
export { RESERVED_MAP_KEYS } from './common/map.schema.ts';
export {
  FUTURE_TOLERANCE_MS,
  MAX_SCHEDULE_AHEAD_MS,
  PLAUSIBLE_SINCE,
  readingTimeProblem,
  syncJobTimeProblems,
} from './common/plausibility.ts';
export type { TimeProblem } from './common/plausibility.ts';
export type { ParseLocation, ParseProblem, ParseResult } from './common/parse-result.ts';

export type {
  GlobalSecondaryIndexDefinition,
  KeyAttribute,
  KeyAttributeType,
  TableDefinition,
} from './tables/table-definition.ts';
export { defineEntity } from './entity/define-entity.ts';
export type {
  AnyAttribute,
  AnyEntity,
  CommonAttribute,
  Entity,
  EntityConfig,
  KeyBuilders,
  KeyDeclaration,
  KeyOf,
  KeySchemas,
  KeyValueOf,
} from './entity/entity-types.ts';
export * from './entity/all-entities.ts';
export {
  CreateTableOptionsSchema,
  tableName,
  toCreateTableInput,
  toUpdateTimeToLiveInput,
} from './tables/create-table-input.ts';
export type {
  AttributeDefinition,
  BillingMode,
  CreateTableInput,
  CreateTableOptions,
  GlobalSecondaryIndex,
  KeySchemaElement,
  ProvisionedThroughput,
  UpdateTimeToLiveInput,
} from './tables/create-table-input.ts';
export { defineCompositeKeys, definePartitionKeys } from './tables/index-keys.ts';
export type {
  CompositeKeys,
  KeyConditionInput,
  KeyPart,
  KeyValue,
  PartitionKeys,
  SortCondition,
} from './tables/index-keys.ts';

export {
  GLUCOSE_HIGH_SENTINEL,
  GLUCOSE_LOW_SENTINEL,
  GLUCOSE_MAX_MGDL,
  GLUCOSE_MIN_MGDL,
  DEXCOM_TREND_NAMES,
  MGDL_PER_MMOLL,
  NIGHTSCOUT_TREND_NAMES,
  TREND_DIRECTIONS,
  mmolToMgdl,
  parseSensorGlucose,
  trendFromDexcom,
  trendFromRate,
} from './glucose-reading/glucose-units.ts';
export type { GlucoseUnit, OutOfRange, SensorGlucose, TrendDirection } from './glucose-reading/glucose-units.ts';
export {
  DeviceInfoSchema,
  GlucoseReadingInputSchema,
  GlucoseReadingSchema,
  OutOfRangeSchema,
  ReadingTimestampInputSchema,
  ReadingTypeSchema,
  SrvModifiedSchema,
  TrendDirectionSchema,
  TrendInputSchema,
  toGlucoseReading,
} from './glucose-reading/glucose-reading.schema.ts';
export type {
  DeviceInfo,
  GlucoseReading,
  GlucoseReadingInput,
  GlucoseReadingInputBody,
} from './glucose-reading/glucose-reading.schema.ts';
export {
  DEXCOM_TRANSMITTER_GENERATIONS,
  DexcomReadingDetailsSchema,
  TREND_RATE_LIMIT,
} from './glucose-reading/dexcom-details.schema.ts';
export type { DexcomReadingDetails } from './glucose-reading/dexcom-details.schema.ts';
export { NIGHTSCOUT_DIRECTIONS, NightscoutDetailsSchema } from './glucose-reading/nightscout-details.schema.ts';
export type { NightscoutDetails, NightscoutDirection } from './glucose-reading/nightscout-details.schema.ts';
export {
  NIGHTSCOUT_SOURCE,
  NightscoutEntryInputSchema,
  NightscoutEntrySchema,
  nightscoutEntryId,
  readingToNightscoutEntry,
} from './glucose-reading/nightscout-entry.ts';
export type { NightscoutEntry, NightscoutUpload } from './glucose-reading/nightscout-entry.ts';
export { NightscoutHistoryDocumentSchema, readingChangeToNightscoutDocument } from './glucose-reading/nightscout-history.ts';
export type { NightscoutHistoryDocument } from './glucose-reading/nightscout-history.ts';
export {
  AGP_PERCENTILES,
  SUFFICIENT_ACTIVE_PERCENT,
  SUFFICIENT_DAYS,
  glucoseStatistics,
  glucoseStatisticsFromAccumulator,
  instantToEpochMs,
  statisticsWindow,
} from './glucose-reading/glucose-statistics.ts';
export type { GlucoseStatisticsOptions } from './glucose-reading/glucose-statistics.ts';
export { GlucoseStatisticsSchema, HourlyGlucosePercentilesSchema } from './glucose-reading/glucose-statistics.schema.ts';
export type { GlucoseStatistics, HourlyGlucosePercentiles } from './glucose-reading/glucose-statistics.schema.ts';
export {
  DEFAULT_CADENCE_MS,
  GAP_LIMIT_CADENCES,
  MAX_CADENCE_MS,
  MAX_GAP_MS,
  MIN_CADENCE_MS,
  accumulateGlucose,
} from './glucose-reading/glucose-time-segments.ts';
export type { GlucoseStream, StatisticsReading } from './glucose-reading/glucose-time-segments.ts';
export {
  GLUCOSE_RANGE_NAMES,
  emptyGlucoseAccumulator,
  mergeGlucoseAccumulators,
} from './glucose-reading/glucose-accumulator.ts';
export type { GlucoseAccumulator, GlucoseRangeName, HourAccumulator } from './glucose-reading/glucose-accumulator.ts';
export { EPISODE_MIN_MS, GLUCOSE_EPISODE_KINDS } from './glucose-reading/glucose-episodes.ts';
export type { GlucoseEpisodeKind, TimeRun } from './glucose-reading/glucose-episodes.ts';
export { GLUCOSE_TARGETS, glucoseRisk, glycemiaRiskIndex } from './glucose-reading/glucose-risk.ts';
export { localClock } from './glucose-reading/local-clock.ts';
export type { LocalClock } from './glucose-reading/local-clock.ts';
export { percentileOfSorted, timeWeightedPercentiles } from './glucose-reading/time-weighted-percentile.ts';
export type { WeightedValue } from './glucose-reading/time-weighted-percentile.ts';
export {
  GlucoseStretchMerge,
  accumulateStretch,
  fromGlucoseRollup,
  glucoseStatisticsFromStretches,
  mergeGlucoseStreams,
  toGlucoseRollupBody,
} from './glucose-rollup/glucose-day.ts';
export type { GlucoseRollupBody, GlucoseStretch } from './glucose-rollup/glucose-day.ts';
export { glucoseReportDifferences } from './glucose-rollup/report-differences.ts';
export { GlucoseRollupSchema } from './glucose-rollup/glucose-rollup.schema.ts';
export type { GlucoseRollup } from './glucose-rollup/glucose-rollup.schema.ts';
export { localDayName, localDayNumber, localDayStart, localDaysOf } from './glucose-rollup/local-day.ts';
export {
  DEFAULT_TIME_ZONE,
  TimeZoneSchema,
  UserSettingsInputSchema,
  UserSettingsSchema,
  isTimeZone,
} from './user-settings/user-settings.schema.ts';
export type { UserSettings, UserSettingsInput } from './user-settings/user-settings.schema.ts';

export {
  UserTokenInputSchema,
  UserTokenItemSchema,
  UserTokenMetadataSchema,
  UserTokenSchema,
  toUserTokenMetadata,
} from './user-token/user-token.schema.ts';
export type { UserToken, UserTokenInput, UserTokenItem, UserTokenMetadata } from './user-token/user-token.schema.ts';

export {
  CONNECTION_LAST_ERROR_MAX_LENGTH,
  CONNECTION_STATUSES,
  ConnectionStatusSchema,
  ConnectionStatusViewSchema,
  PendingAuthorizationSchema,
  ProviderConnectionSchema,
  toConnectionStatusView,
} from './connection/provider-connection.schema.ts';
export type {
  ConnectionStatus,
  ConnectionStatusView,
  PendingAuthorization,
  ProviderConnection,
} from './connection/provider-connection.schema.ts';

export {
  DEFAULT_SYNC_MAX_ATTEMPTS,
  SYNC_JOB_STATUSES,
  SyncJobIdSchema,
  SyncJobInputSchema,
  SyncJobSchema,
  SyncJobStatusSchema,
  toSyncJob,
} from './sync-job/sync-job.schema.ts';
export type { SyncJob, SyncJobInput, SyncJobStatus } from './sync-job/sync-job.schema.ts';

export {
  DIASTOLIC_RANGE,
  O2_PERCENT_RANGE,
  PAIN_LEVEL_MAX,
  SLEEP_MINUTES_MAX,
  SYSTOLIC_RANGE,
  parseBloodPressure,
  parseO2,
  parsePainLevel,
  parseSleep,
} from './health-entry/health-notation.parser.ts';
export type { BloodPressure, PainLevel } from './health-entry/health-notation.parser.ts';
export {
  MEDICATION_NAME_MAX_LENGTH,
  MedicationNameSchema,
  isMedicationName,
  medicationMatchName,
  parseMedicationName,
} from './health-entry/medication-name.schema.ts';
export {
  HealthEntryInputSchema,
  HealthEntrySchema,
  HealthEntryTableItemSchema,
  MedicationIndexItemSchema,
  parseHealthEntryTableItem,
} from './health-entry/health-entry.schema.ts';
export type {
  HealthEntry,
  HealthEntryInput,
  HealthEntryTableItem,
  MedicationIndexItem,
} from './health-entry/health-entry.schema.ts';
export { DERIVED_HEALTH_ATTRIBUTES, deriveHealthEntry, toHealthEntry } from './health-entry/derive-health-entry.ts';
export type {
  DeriveResult,
  Derived,
  DerivedHealthAttribute,
  HealthEntryDerived,
  HealthEntryNotation,
} from './health-entry/derive-health-entry.ts';
export {
  HealthEntrySortKeySchema,
  MEDICATION_INDEX_PREFIX,
  isMedicationIndexTimestamp,
} from './health-entry/health-entry-sort-key.schema.ts';
export {
  HEALTH_ENTRY_TIME_RANGE,
  healthEntriesOnDate,
  healthEntryKey,
  medicationIndexItemKey,
  medicationIndexTimestamp,
} from './health-entry/health-entry.keys.ts';
export {
  diffHealthEntryItems,
  healthEntryFromItem,
  healthEntryItemKeys,
  healthEntryItems,
  isMedicationIndexItem,
} from './health-entry/medication-index.ts';
export type { HealthEntryItemKey, HealthEntryItems } from './health-entry/medication-index.ts';

export { DailySummarySchema } from './daily-summary/daily-summary.schema.ts';
export type { DailySummary } from './daily-summary/daily-summary.schema.ts';

export { API_SCOPES, ApiScopeSchema } from './access-token/scopes.ts';
export type { ApiScope } from './access-token/scopes.ts';
export {
  ACCESS_TOKEN_PREFIX,
  AccessTokenTextSchema,
  TokenHashSchema,
  TokenSha1Schema,
  isAccessTokenText,
} from './access-token/access-token-text.ts';
export { buildDailySummary } from './daily-summary/build-daily-summary.ts';
