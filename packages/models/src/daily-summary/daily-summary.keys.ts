import { HealthDateSchema } from '../common/formats.schema.ts';
import { definePartitionKeys } from '../tables/index-keys.ts';
import { dailySummariesTable } from '../tables/tables.ts';

/** `fusion-daily-summaries` table key: partition `date` only. */
export const dailySummaryPrimaryIndex = definePartitionKeys({
  context: dailySummariesTable.name,
  partition: { name: 'date', schema: HealthDateSchema },
});

/** The primary key of one day's summary: `{ date }`. */
export function dailySummaryKey(date: string): { date: string } {
  return dailySummaryPrimaryIndex.partition(date);
}
