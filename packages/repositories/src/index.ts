import './errors/repository-errors.ts';
import './user-token/user-token.errors.ts';

export {
  BaseRepository,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type EntityDefinition,
  type Page,
  type PageRequest,
  type QuerySpec,
  type SkippedItem,
} from './base/base-repository.ts';
export { validInput, validKey } from './base/validate.ts';
export {
  conflict,
  invalidInput,
  invalidItem,
  invalidTransition,
  notFound,
  type ConflictOptions,
  type InvalidItemOptions,
} from './errors/repository-errors.ts';
export { decodeCursor, encodeCursor, type QueryScope } from './pagination/cursor.ts';
export {
  REPOSITORY_TOKENS,
  systemClock,
  type Clock,
  type RepositorySettings,
} from './settings/repository-settings.ts';
export { createMissingTables, type CreateTablesOptions } from './tables/create-tables.ts';
export {
  applyTablePlan,
  ensureTables,
  planTables,
  type SkippedTableSetting,
  type TableAction,
  type TablePlan,
  type TablePlanOptions,
} from './tables/table-plan.ts';
export { GlucoseReadingRepository, type ReadingRange } from './glucose-reading/glucose-reading.repository.ts';
export type { ReadingSaveCounts, ReadingSaveResult } from './glucose-reading/stored-reading.ts';
export {
  TokenCipher,
  TokenKeyRingSchema,
  USER_TOKEN_KEYS,
  parseTokenKeyRing,
  type TokenKeyRing,
} from './user-token/token-cipher.ts';
export type { TokenDecryptionFailure } from './user-token/user-token.errors.ts';
export {
  UserTokenRepository,
  type TokenRotation,
  type UserTokenExpectedVersion,
} from './user-token/user-token.repository.ts';
export { repositoriesModule, type RepositoriesModuleOptions } from './container/repositories.module.ts';
export { SyncJobRepository, type SyncJobListOptions, type SyncJobWriteOptions } from './sync-job/sync-job.repository.ts';
export { SYNC_JOB_LAST_ERROR_MAX_LENGTH, SYNC_JOB_MAX_LEASE_MS } from './sync-job/sync-job.transitions.ts';
export { SYNC_JOB_RETRY_BASE_MS, SYNC_JOB_RETRY_MAX_MS, syncJobRetryDelayMs } from './sync-job/sync-job.backoff.ts';
export { HealthEntryRepository } from './health-entry/health-entry.repository.ts';
export type {
  HealthDay,
  HealthEntryDateRange,
  HealthEntryTimeRange,
  HealthEntryWrite,
  HealthEntryWriteOptions,
} from './health-entry/health-entry.types.ts';
export type { HealthDateRange } from './health-entry/health-dates.ts';
export {
  DailySummaryRepository,
  MAX_SUMMARY_RANGE_DAYS,
  type DailySummaryWriteOptions,
  type SummaryRebuildReport,
} from './daily-summary/daily-summary.repository.ts';
export { HealthLogService, type HealthLogImport } from './health-log/health-log.service.ts';
