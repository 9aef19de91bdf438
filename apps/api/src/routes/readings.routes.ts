import {
  GlucoseReadingInputSchema,
  GlucoseReadingSchema,
  GlucoseStatisticsSchema,
} from '@vitals/models';
import { GlucoseReadingRepository, GlucoseRollupService, REPOSITORY_TOKENS } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { ApiProblem } from '../middleware/problem-details.ts';
import { InstantParamSchema, OrderSchema, UserPathSchema, pageBody, pageQuery, pageSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

/** One POST stores at most this many readings. */
export const MAX_READINGS_PER_REQUEST = 1000;
/** The longest window `readings/stats` computes over: a leap year, cheap now that whole days come from daily rollups. */
export const MAX_STATS_DAYS = 366;
const DEFAULT_STATS_DAYS = 14;
const DAY_MS = 86_400_000;

const ReadingsBodySchema = z.union([
  z.array(GlucoseReadingInputSchema).min(1).max(MAX_READINGS_PER_REQUEST),
  GlucoseReadingInputSchema,
]);

const RangeQuerySchema = z
  .strictObject({
    from: InstantParamSchema.optional().describe('Earliest reading, inclusive'),
    to: InstantParamSchema.optional().describe('Latest reading, inclusive'),
    order: OrderSchema,
    ...pageQuery,
  })
  // Checked here so that reversed bounds are a /query problem, not a key-condition error from the repository.
  .superRefine((query, ctx) => {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
  });

const StatsQuerySchema = z.strictObject({
  from: InstantParamSchema.optional().describe(`Window start, inclusive; default \`to\` minus ${DEFAULT_STATS_DAYS} days`),
  to: InstantParamSchema.optional().describe('Window end, exclusive; default now'),
  time_zone: z
    .string()
    .refine(isTimeZone, { message: 'is not an IANA time zone' })
    .optional()
    .describe(
      'IANA zone whose local days (cadence detection) and clock hours (hourly AGP) the statistics use; default the ' +
        'user’s settings (UTC until set). Whole days come from daily rollups only in the user’s zone',
    ),
});

/** The stats window: defaults filled from `now`, then bounded. Problems point at the query's `from`. */
function statsWindow(query: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const to = query.to ?? now.toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_STATS_DAYS * DAY_MS).toISOString();
  const span = Date.parse(to) - Date.parse(from);
  const problem = !(span > 0) ? 'must be before to' : span > MAX_STATS_DAYS * DAY_MS ? `the window may span at most ${MAX_STATS_DAYS} days` : undefined;
  if (problem !== undefined) throw new ApiProblem('validation', undefined, [{ pointer: '/query/from', message: problem }]);
  return { from, to };
}

const ReadingPathSchema = UserPathSchema.extend({ timestamp: InstantParamSchema });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `/v1/users/{user_id}/readings…`: store, list, latest, statistics, delete. */
export function readingsRoutes(container: Container): Route[] {
  const readings = container.get(GlucoseReadingRepository);
  const rollups = container.get(GlucoseRollupService);
  const clock = container.get(REPOSITORY_TOKENS.Clock);
  return [
    defineRoute({
      operationId: 'storeReadings',
      method: 'post',
      path: '/v1/users/{user_id}/readings',
      tag: 'readings',
      summary: 'Store one reading or an array of up to 1000',
      description:
        'Idempotent per timestamp: a reading with the timestamp of a stored one replaces it. ' +
        'mmol/L values are converted to mg/dL. An array is validated as a whole before anything is stored.',
      scope: 'readings:write',
      subject: 'path-user',
      params: UserPathSchema,
      body: ReadingsBodySchema,
      example: {
        timestamp: '2026-01-05T09:00:00.000Z',
        glucose_value: 120,
        glucose_unit: 'mg/dL',
        trend_direction: 'steady',
        device_info: { device_id: 'g7', serial_number: 'SN-1', transmitter_id: 'TX-1' },
        reading_type: 'CGM',
        source: 'dexcom',
      },
      responses: {
        201: {
          description: 'The stored reading, or `{ items }` for an array',
          schema: z.union([GlucoseReadingSchema, z.strictObject({ items: z.array(GlucoseReadingSchema) })]),
        },
      },
      handle: async ({ params, body }) => {
        if (Array.isArray(body)) {
          return { status: 201, body: { items: await readings.saveManyParsed(params.user_id, body) } };
        }
        return { status: 201, body: await readings.save(params.user_id, body) };
      },
    }),
    defineRoute({
      operationId: 'listReadings',
      method: 'get',
      path: '/v1/users/{user_id}/readings',
      tag: 'readings',
      summary: 'Readings in a time range, one page at a time',
      scope: 'readings:read',
      subject: 'path-user',
      params: UserPathSchema,
      query: RangeQuerySchema,
      responses: { 200: { description: 'A page of readings', schema: pageSchema(GlucoseReadingSchema) } },
      handle: async ({ params, query }) => {
        const { from, to, order, limit, cursor } = query;
        const page = await readings.listRange(params.user_id, { from, to, order }, { limit, cursor });
        return { status: 200, body: pageBody(page) };
      },
    }),
    defineRoute({
      operationId: 'latestReading',
      method: 'get',
      path: '/v1/users/{user_id}/readings/latest',
      tag: 'readings',
      summary: 'The newest reading',
      scope: 'readings:read',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 200: { description: 'The newest reading', schema: GlucoseReadingSchema } },
      handle: async ({ params }) => {
        const reading = await readings.latest(params.user_id);
        if (reading === undefined) throw new ApiProblem('notFound', 'This user has no readings');
        return { status: 200, body: reading };
      },
    }),
    defineRoute({
      operationId: 'readingStatistics',
      method: 'get',
      path: '/v1/users/{user_id}/readings/stats',
      tag: 'readings',
      summary: `Clinical statistics by time over a window of at most ${MAX_STATS_DAYS} days`,
      description:
        'Every figure is by time, for any CGM cadence: each CGM reading stands for the time until the next one, at most ' +
        'twice its device stream’s cadence (streams are source + device; the cadence is detected per stream and local day ' +
        'as the median interval, 1–15 min); time beyond that is missing. Mean, SD (time-weighted population SD, stated in ' +
        '`sd_definition`), CV, GMI, percent of active time per range (<54, 54–69, 70–180, 181–250, >250 mg/dL; LOW/HIGH ' +
        'readings count below 54 / above 250), data sufficiency (active time ÷ window, `sufficient` with a `reason` when ' +
        'the consensus’s 14 days with ≥ 70 % active time are not met — the consensus figures are then not to be relied on), ' +
        'GRI with its components, LBGI/HBGI, hypo- and hyperglycaemia episodes (≥ 15 min beyond, ending after ≥ 15 min ' +
        'back), each consensus target with `met`, the streams found, and time-weighted hourly AGP percentiles. `count` is ' +
        'the CGM readings starting in the window (manual readings are not CGM time). A reading up to 30 minutes before ' +
        '`from` covers the start of the window. See docs/GLUCOSE-REPORT.md.',
      scope: 'readings:read',
      subject: 'path-user',
      params: UserPathSchema,
      query: StatsQuerySchema,
      responses: { 200: { description: 'The statistics', schema: GlucoseStatisticsSchema } },
      handle: async ({ params, query }) => {
        const { from, to } = statsWindow(query, clock.now());
        // Whole local days from the daily rollups, the partial first and last days from readings (docs/GLUCOSE-REPORT.md).
        const stats = await rollups.report(params.user_id, { from, to, ...(query.time_zone === undefined ? {} : { timeZone: query.time_zone }) });
        return { status: 200, body: stats };
      },
    }),
    defineRoute({
      operationId: 'deleteReading',
      method: 'delete',
      path: '/v1/users/{user_id}/readings/{timestamp}',
      tag: 'readings',
      summary: 'Delete one reading',
      scope: 'readings:write',
      subject: 'path-user',
      params: ReadingPathSchema,
      responses: { 204: { description: 'Deleted' } },
      handle: async ({ params }) => {
        const deleted = await readings.delete(params.user_id, params.timestamp);
        if (deleted === undefined) throw new ApiProblem('notFound', 'No reading at this timestamp');
        return { status: 204 };
      },
    }),
  ];
}
