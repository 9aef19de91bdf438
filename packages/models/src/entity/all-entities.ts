import { dailySummaryEntity } from '../daily-summary/daily-summary.entity.ts';
import { glucoseReadingEntity } from '../glucose-reading/glucose-reading.entity.ts';
import { healthEntryEntity } from '../health-entry/health-entry.entity.ts';
import { syncJobEntity } from '../sync-job/sync-job.entity.ts';
import { userTokenEntity } from '../user-token/user-token.entity.ts';
import type { AnyEntity } from './entity-types.ts';

/** Every entity Vitals stores, one table each, in creation order. */
export const allEntities: readonly AnyEntity[] = [
  glucoseReadingEntity,
  userTokenEntity,
  syncJobEntity,
  healthEntryEntity,
  dailySummaryEntity,
];
