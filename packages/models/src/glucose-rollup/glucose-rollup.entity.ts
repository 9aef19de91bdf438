import { defineEntity } from '../entity/define-entity.ts';
import { GlucoseRollupSchema } from './glucose-rollup.schema.ts';

/**
 * Daily glucose rollups: one item per user and local day (`YYYY-MM-DD` in
 * the user's zone) in `glucose_rollups`. A report reads a window's days in
 * one query on the key; why this shape: docs/GLUCOSE-REPORT.md.
 */
export const glucoseRollupEntity = defineEntity({
  name: 'GlucoseRollup',
  table: 'glucose_rollups',
  schema: GlucoseRollupSchema,
  key: { partition: 'user_id', sort: 'day' },
});
