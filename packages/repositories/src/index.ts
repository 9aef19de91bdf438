import './errors/repository-errors.ts';
import './user-token/user-token.errors.ts';

export { EntityStore } from './store/entity-store.ts';
export {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type KeyValues,
  type Page,
  type PageRequest,
  type QueryFilter,
  type StoreAction,
  type StoreQuery,
  type StoreWrite,
  type TableQuery,
} from './store/store-types.ts';
export { EntityStores } from './store/entity-stores.ts';
export type { IndexNameOf, StoreEntity } from './store/store-entity.ts';
export type { SkippedItem } from './store/stored-items.ts';
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
  DEFAULT_READING_CHANGES_SETTLE_MS,
  DEFAULT_READING_TOMBSTONE_RETENTION_DAYS,
  DEFAULT_SYNC_JOB_RETENTION_DAYS,
  DEFAULT_SYNC_SCHEDULE,
  REPOSITORY_TOKENS,
  systemClock,
  type Clock,
  type RepositorySettings,
  type SyncSchedule,
} from './settings/repository-settings.ts';
export { syncScheduleFromEnv } from './settings/sync-schedule.from-env.ts';
export { readingChangesFromEnv, type ReadingChangeSettings } from './settings/reading-changes.from-env.ts';
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
export type { ReadingSaveCounts, ReadingSaveResult } from './glucose-reading/stored-reading.ts';
export type { ChangeFeedPage, ChangeFeedRequest } from './glucose-reading/reading-change-feed.ts';
export {
  TokenCipher,
  TokenKeyRingSchema,
  USER_TOKEN_KEYS,
  parseTokenKeyRing,
  type TokenKeyRing,
} from './user-token/token-cipher.ts';
export { tokenKeyRingOf } from './user-token/token-key-ring-of.ts';
export type { TokenDecryptionFailure } from './user-token/user-token.errors.ts';
export { repositoriesModule, type RepositoriesModuleOptions } from './container/repositories.module.ts';
export * from './repositories.ts';
export { SYNC_JOB_LAST_ERROR_MAX_LENGTH, SYNC_JOB_MAX_LEASE_MS } from './sync-job/sync-job.transitions.ts';
export { SYNC_JOB_RETRY_BASE_MS, SYNC_JOB_RETRY_MAX_MS, syncJobRetryDelayMs } from './sync-job/sync-job.backoff.ts';
export type {
  HealthDay,
  HealthEntryDateRange,
  HealthEntryTimeRange,
  HealthEntryWrite,
  HealthEntryWriteOptions,
} from './health-entry/health-entry.types.ts';
export type { HealthDateRange } from './health-entry/health-dates.ts';
