import {
  DailySummarySchema,
  HealthDateSchema,
  HealthEntryInputSchema,
  HealthEntrySchema,
  HealthTimeSchema,
  MedicationNameSchema,
  PAIN_LEVEL_MAX,
} from '@vitals/models';
import { DailySummaryRepository, HealthEntryRepository, HealthLogService, MAX_SUMMARY_RANGE_DAYS } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { ApiProblem } from '../middleware/problem-details.ts';
import { OrderSchema, integerParam, pageBody, pageQuery, pageSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const EntryPathSchema = z.strictObject({ date: HealthDateSchema, time: HealthTimeSchema });
const DatePathSchema = z.strictObject({ date: HealthDateSchema });

const ENTRY_SELECTORS = ['date', 'medication', 'pain_level'] as const;

/** The health log's three query patterns (by day, by medication, by pain level); exactly one selector, and only the bounds it takes. */
const EntriesQuerySchema = z
  .strictObject({
    date: HealthDateSchema.optional().describe('Entries of one day (with optional `from`/`to` times)'),
    from: HealthTimeSchema.optional().describe('With `date`: earliest time HHMM, inclusive'),
    to: HealthTimeSchema.optional().describe('With `date`: latest time HHMM, inclusive'),
    medication: MedicationNameSchema.optional().describe('Every entry listing this medication, primary or not'),
    pain_level: integerParam(0, PAIN_LEVEL_MAX).optional().describe('Entries whose highest pain level is this'),
    from_date: HealthDateSchema.optional().describe('With `medication` or `pain_level`: earliest date, inclusive'),
    to_date: HealthDateSchema.optional().describe('With `medication` or `pain_level`: latest date, inclusive'),
    order: OrderSchema,
    ...pageQuery,
  })
  .superRefine((query, ctx) => {
    const given = ENTRY_SELECTORS.filter((selector) => query[selector] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: given.length === 0 ? [] : [given[1] as string], message: 'give exactly one of date, medication, pain_level' });
    }
    const byDate = query.date !== undefined;
    for (const bound of ['from', 'to'] as const) {
      if (query[bound] !== undefined && !byDate) ctx.addIssue({ code: 'custom', path: [bound], message: 'applies only with date' });
    }
    for (const bound of ['from_date', 'to_date'] as const) {
      if (query[bound] !== undefined && byDate) ctx.addIssue({ code: 'custom', path: [bound], message: 'applies only with medication or pain_level' });
    }
    // Reversed bounds are checked here so that they are /query problems, not repository input errors pointing into a body.
    if (byDate && query.from !== undefined && query.to !== undefined && query.from > query.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
    if (!byDate && query.from_date !== undefined && query.to_date !== undefined && query.from_date > query.to_date) {
      ctx.addIssue({ code: 'custom', path: ['to_date'], message: 'must not be before from_date' });
    }
  });

const DAY_MS = 86_400_000;

const SummariesQuerySchema = z
  .strictObject({
    from: HealthDateSchema.describe('First date, inclusive'),
    to: HealthDateSchema.describe(`Last date, inclusive; the range spans at most ${MAX_SUMMARY_RANGE_DAYS} days`),
    ...pageQuery,
  })
  // The repository checks the same, but its problems would point into the body: these are /query problems.
  .superRefine((query, ctx) => {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days > MAX_SUMMARY_RANGE_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_SUMMARY_RANGE_DAYS} days` });
    }
  });

/**
 * The recovery health log (one person's): entries by date and time, the
 * queries by day, medication and pain level, and daily summaries — kept current by every write,
 * which goes through HealthLogService.
 */
export function healthLogRoutes(container: Container): Route[] {
  const health = container.get(HealthLogService);
  const entries = container.get(HealthEntryRepository);
  const summaries = container.get(DailySummaryRepository);
  return [
    defineRoute({
      operationId: 'putHealthEntry',
      method: 'put',
      path: '/v1/health/entries/{date}/{time}',
      tag: 'health',
      summary: 'Store the entry at a date and time (replacing one there)',
      description: "Raw notation is validated and parsed (pain levels, blood pressure, sleep, O2); the day's summary is rebuilt.",
      scope: 'health:write',
      subject: 'health-log',
      params: EntryPathSchema,
      body: HealthEntryInputSchema,
      example: {
        medications: { ibuprofen: '400mg', paracetamol: '1g' },
        pain: { back: '6-7-8', knee: '3' },
        activities: { walk: 20 },
        o2: '97',
        bpr: '129/59',
        note: 'felt fine',
        sleep: '7:39',
      },
      responses: { 200: { description: 'The stored entry with its derived attributes', schema: HealthEntrySchema } },
      handle: async ({ params, body }) => {
        return { status: 200, body: await health.saveEntry(params.date, params.time, body) };
      },
    }),
    defineRoute({
      operationId: 'getHealthEntry',
      method: 'get',
      path: '/v1/health/entries/{date}/{time}',
      tag: 'health',
      summary: 'The entry at a date and time',
      scope: 'health:read',
      subject: 'health-log',
      params: EntryPathSchema,
      responses: { 200: { description: 'The entry', schema: HealthEntrySchema } },
      handle: async ({ params }) => {
        const entry = await entries.get(params.date, params.time);
        if (entry === undefined) throw new ApiProblem('notFound', 'No entry at this date and time');
        return { status: 200, body: entry };
      },
    }),
    defineRoute({
      operationId: 'deleteHealthEntry',
      method: 'delete',
      path: '/v1/health/entries/{date}/{time}',
      tag: 'health',
      summary: "Delete the entry at a date and time; the day's summary is rebuilt",
      scope: 'health:write',
      subject: 'health-log',
      params: EntryPathSchema,
      responses: { 204: { description: 'Deleted' } },
      handle: async ({ params }) => {
        const deleted = await health.deleteEntry(params.date, params.time);
        if (deleted === undefined) throw new ApiProblem('notFound', 'No entry at this date and time');
        return { status: 204 };
      },
    }),
    defineRoute({
      operationId: 'listHealthEntries',
      method: 'get',
      path: '/v1/health/entries',
      tag: 'health',
      summary: 'Entries of a day, with a medication, or at a pain level',
      description:
        'Exactly one of `date` (optionally `from`/`to` times), `medication` or `pain_level` (optionally `from_date`/`to_date`). ' +
        'Served by index queries, never a scan.',
      scope: 'health:read',
      subject: 'health-log',
      query: EntriesQuerySchema,
      responses: { 200: { description: 'A page of entries', schema: pageSchema(HealthEntrySchema) } },
      handle: async ({ query }) => {
        const page = { limit: query.limit, cursor: query.cursor };
        const dates = { from: query.from_date, to: query.to_date, order: query.order };
        const result =
          query.date !== undefined
            ? await entries.listByDate(query.date, { from: query.from, to: query.to, order: query.order }, page)
            : query.medication !== undefined
              ? await entries.listByMedication(query.medication, dates, page)
              : await entries.listByPainLevel(query.pain_level as number, dates, page);
        return { status: 200, body: pageBody(result) };
      },
    }),
    defineRoute({
      operationId: 'listDailySummaries',
      method: 'get',
      path: '/v1/health/summaries',
      tag: 'health',
      summary: 'Daily summaries of a date range',
      scope: 'health:read',
      subject: 'health-log',
      query: SummariesQuerySchema,
      responses: { 200: { description: 'A page of summaries; days without entries are absent', schema: pageSchema(DailySummarySchema) } },
      handle: async ({ query }) => {
        const page = await summaries.listRange(query.from, query.to, { limit: query.limit, cursor: query.cursor });
        return { status: 200, body: pageBody(page) };
      },
    }),
    defineRoute({
      operationId: 'getDailySummary',
      method: 'get',
      path: '/v1/health/summaries/{date}',
      tag: 'health',
      summary: "One day's summary",
      scope: 'health:read',
      subject: 'health-log',
      params: DatePathSchema,
      responses: { 200: { description: 'The summary', schema: DailySummarySchema } },
      handle: async ({ params }) => {
        const summary = await summaries.get(params.date);
        if (summary === undefined) throw new ApiProblem('notFound', 'No summary for this date (no entries)');
        return { status: 200, body: summary };
      },
    }),
  ];
}
