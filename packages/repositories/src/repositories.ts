import { AccessTokenRepository } from './access-token/access-token.repository.ts';
import { ConnectionService } from './connection/connection.service.ts';
import { DailySummaryRepository } from './daily-summary/daily-summary.repository.ts';
import { GlucoseReadingRepository } from './glucose-reading/glucose-reading.repository.ts';
import { GlucoseRollupService } from './glucose-rollup/glucose-rollup.service.ts';
import { HealthEntryRepository } from './health-entry/health-entry.repository.ts';
import { HealthLogService } from './health-log/health-log.service.ts';
import { SyncJobRepository } from './sync-job/sync-job.repository.ts';
import { UserSettingsRepository } from './user-settings/user-settings.repository.ts';
import { UserTokenRepository } from './user-token/user-token.repository.ts';

/*
 * The registry of repositories and services: the package exports each from
 * here, and `repositoriesModule` binds every class listed as a singleton. A
 * new repository is added here and nowhere else.
 */

export {
  ACCESS_TOKEN_LAST_USED_RESOLUTION_MS,
  AccessTokenRepository,
  type CreatedAccessToken,
  type ResolvedAccessToken,
} from './access-token/access-token.repository.ts';
export { accessTokenSha1, type AccessTokenCredential } from './access-token/token-hash.ts';
export { ConnectionService } from './connection/connection.service.ts';
export {
  DailySummaryRepository,
  MAX_SUMMARY_RANGE_DAYS,
  type DailySummaryWriteOptions,
  type SummaryRebuildReport,
} from './daily-summary/daily-summary.repository.ts';
export { GlucoseReadingRepository, type ReadingRange } from './glucose-reading/glucose-reading.repository.ts';
export { GlucoseRollupService, type ReadingsWriteOutcome, type RollupRebuildReport } from './glucose-rollup/glucose-rollup.service.ts';
export { UserSettingsRepository, type EffectiveUserSettings } from './user-settings/user-settings.repository.ts';
export { HealthEntryRepository } from './health-entry/health-entry.repository.ts';
export { HealthLogService, type HealthLogImport } from './health-log/health-log.service.ts';
export { SyncJobRepository, type ClaimDueOptions, type SyncJobListOptions, type SyncJobWriteOptions } from './sync-job/sync-job.repository.ts';
export { DueJobCandidates } from './sync-job/due-job-candidates.ts';
export {
  UserTokenRepository,
  type TokenRotation,
  type UserTokenExpectedVersion,
} from './user-token/user-token.repository.ts';

/** Every injectable repository and service, each bound once per container by `repositoriesModule`. */
export const repositoryClasses = [
  GlucoseReadingRepository,
  UserTokenRepository,
  SyncJobRepository,
  HealthEntryRepository,
  DailySummaryRepository,
  HealthLogService,
  ConnectionService,
  AccessTokenRepository,
  UserSettingsRepository,
  GlucoseRollupService,
] as const;
