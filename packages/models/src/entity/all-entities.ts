import { accessTokenEntity } from '../access-token/access-token.entity.ts';
import { providerConnectionEntity } from '../connection/provider-connection.entity.ts';
import { dailySummaryEntity } from '../daily-summary/daily-summary.entity.ts';
import { glucoseReadingEntity } from '../glucose-reading/glucose-reading.entity.ts';
import { readingTombstoneEntity } from '../glucose-reading/reading-tombstone.entity.ts';
import { glucoseRollupEntity } from '../glucose-rollup/glucose-rollup.entity.ts';
import { healthEntryEntity } from '../health-entry/health-entry.entity.ts';
import { syncJobEntity } from '../sync-job/sync-job.entity.ts';
import { userSettingsEntity } from '../user-settings/user-settings.entity.ts';
import { userTokenEntity } from '../user-token/user-token.entity.ts';
import type { AnyEntity } from './entity-types.ts';

/*
 * The registry of entities: the package exports each from here, and `tables
 * plan` / `ensureTables` create every table listed. A new entity is added here
 * and nowhere else (its file may also export its schema and types: add it to
 * the `export *` lines).
 */

export * from '../access-token/access-token.entity.ts';
export * from '../connection/provider-connection.entity.ts';
export * from '../daily-summary/daily-summary.entity.ts';
export * from '../glucose-reading/glucose-reading.entity.ts';
export * from '../glucose-reading/reading-tombstone.entity.ts';
export * from '../glucose-rollup/glucose-rollup.entity.ts';
export * from '../health-entry/health-entry.entity.ts';
export * from '../sync-job/sync-job.entity.ts';
export * from '../user-settings/user-settings.entity.ts';
export * from '../user-token/user-token.entity.ts';

/** Every entity Vitals stores, one table each, in creation order. */
export const allEntities: readonly AnyEntity[] = [
  glucoseReadingEntity,
  userTokenEntity,
  syncJobEntity,
  healthEntryEntity,
  dailySummaryEntity,
  providerConnectionEntity,
  accessTokenEntity,
  readingTombstoneEntity,
  userSettingsEntity,
  glucoseRollupEntity,
];
