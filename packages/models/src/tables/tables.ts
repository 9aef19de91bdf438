import type { TableDefinition } from './table-definition.ts';

/** `bg_readings`: one glucose reading per user and instant. */
export const glucoseReadingsTable = {
  name: 'bg_readings',
  partitionKey: { name: 'user_id', type: 'S' },
  sortKey: { name: 'timestamp', type: 'S' },
  globalSecondaryIndexes: [
    {
      name: 'user_id-created_at-index',
      partitionKey: { name: 'user_id', type: 'S' },
      sortKey: { name: 'created_at', type: 'S' },
    },
  ],
  ttlAttribute: 'expires_at',
} as const satisfies TableDefinition;

/** `user_tokens`: one encrypted OAuth token set per user and provider. */
export const userTokensTable = {
  name: 'user_tokens',
  partitionKey: { name: 'user_id', type: 'S' },
  sortKey: { name: 'provider', type: 'S' },
  globalSecondaryIndexes: [
    {
      name: 'provider-expires_at-index',
      partitionKey: { name: 'provider', type: 'S' },
      sortKey: { name: 'expires_at', type: 'N' },
    },
  ],
} as const satisfies TableDefinition;

/** `sync_jobs`: scheduled provider syncs, claimed by workers. */
export const syncJobsTable = {
  name: 'sync_jobs',
  partitionKey: { name: 'job_id', type: 'S' },
  globalSecondaryIndexes: [
    {
      name: 'status-scheduled_at-index',
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'scheduled_at', type: 'S' },
    },
    {
      name: 'user_id-scheduled_at-index',
      partitionKey: { name: 'user_id', type: 'S' },
      sortKey: { name: 'scheduled_at', type: 'S' },
    },
  ],
  ttlAttribute: 'expires_at',
} as const satisfies TableDefinition;

/** `fusion-health-entries`: health-log entries plus their medication index items. */
export const healthEntriesTable = {
  name: 'fusion-health-entries',
  partitionKey: { name: 'date', type: 'S' },
  sortKey: { name: 'timestamp', type: 'S' },
  globalSecondaryIndexes: [
    {
      name: 'medication-index',
      partitionKey: { name: 'medication_taken', type: 'S' },
      sortKey: { name: 'date', type: 'S' },
    },
    {
      name: 'pain-level-index',
      partitionKey: { name: 'max_pain_level', type: 'N' },
      sortKey: { name: 'date', type: 'S' },
    },
  ],
} as const satisfies TableDefinition;

/** `fusion-daily-summaries`: one aggregate per health-log day. */
export const dailySummariesTable = {
  name: 'fusion-daily-summaries',
  partitionKey: { name: 'date', type: 'S' },
  globalSecondaryIndexes: [],
} as const satisfies TableDefinition;

/** Every table Vitals uses, in creation order. */
export const allTables: readonly TableDefinition[] = [
  glucoseReadingsTable,
  userTokensTable,
  syncJobsTable,
  healthEntriesTable,
  dailySummariesTable,
];
