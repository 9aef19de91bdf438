import { defineEntity } from '../entity/define-entity.ts';
import { DailySummarySchema } from './daily-summary.schema.ts';

/** One aggregate per health-log day, in the `fusion-daily-summaries` table (key `date` only). */
export const dailySummaryEntity = defineEntity({
  name: 'DailySummary',
  table: 'fusion-daily-summaries',
  schema: DailySummarySchema,
  key: { partition: 'date' },
});
