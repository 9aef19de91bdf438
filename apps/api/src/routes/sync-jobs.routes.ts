import { SyncJobIdSchema, SyncJobInputSchema, SyncJobSchema, SyncJobStatusSchema } from '@vitals/models';
import { REPOSITORY_TOKENS, SyncJobRepository } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { mayActFor } from '../auth/scopes.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { InstantParamSchema, OrderSchema, UserPathSchema, pageBody, pageQuery, pageSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const UserJobsQuerySchema = z.strictObject({ order: OrderSchema, ...pageQuery });
const JobPathSchema = z.strictObject({ job_id: SyncJobIdSchema });
const DueQuerySchema = z.strictObject({
  status: SyncJobStatusSchema.default('pending').describe('Default `pending`'),
  due_before: InstantParamSchema.optional().describe('Jobs scheduled at or before this instant; default now for `pending`, any time otherwise'),
  ...pageQuery,
});

const NOT_FOUND = 'No sync job has this id';

/** Sync jobs: users schedule and read their own; workers (admin) list what is due. */
export function syncJobsRoutes(container: Container): Route[] {
  const jobs = container.get(SyncJobRepository);
  const clock = container.get(REPOSITORY_TOKENS.Clock);
  return [
    defineRoute({
      operationId: 'scheduleSyncJob',
      method: 'post',
      path: '/v1/users/{user_id}/sync-jobs',
      tag: 'sync-jobs',
      summary: 'Schedule a sync of a provider over a time window',
      scope: 'sync:write',
      subject: 'path-user',
      params: UserPathSchema,
      body: SyncJobInputSchema,
      example: {
        provider: 'dexcom',
        scheduled_at: '2026-01-05T10:00:00.000Z',
        window_start: '2026-01-04T00:00:00.000Z',
        window_end: '2026-01-05T00:00:00.000Z',
        max_attempts: 3,
      },
      responses: { 201: { description: 'The scheduled job', schema: SyncJobSchema } },
      handle: async ({ params, body }) => {
        const job = await jobs.create(params.user_id, body);
        return { status: 201, body: job, headers: { Location: `/v1/sync-jobs/${job.job_id}` } };
      },
    }),
    defineRoute({
      operationId: 'listUserSyncJobs',
      method: 'get',
      path: '/v1/users/{user_id}/sync-jobs',
      tag: 'sync-jobs',
      summary: "A user's sync jobs by scheduled time",
      scope: 'sync:read',
      subject: 'path-user',
      params: UserPathSchema,
      query: UserJobsQuerySchema,
      responses: { 200: { description: 'A page of jobs', schema: pageSchema(SyncJobSchema) } },
      handle: async ({ params, query }) => {
        const page = await jobs.listByUser(params.user_id, { limit: query.limit, cursor: query.cursor }, { order: query.order });
        return { status: 200, body: pageBody(page) };
      },
    }),
    defineRoute({
      operationId: 'getSyncJob',
      method: 'get',
      path: '/v1/sync-jobs/{job_id}',
      tag: 'sync-jobs',
      summary: 'One sync job (its owner, or an admin)',
      description: "Another user's job answers 404, exactly like a job that does not exist.",
      scope: 'sync:read',
      subject: 'handler',
      params: JobPathSchema,
      responses: { 200: { description: 'The job', schema: SyncJobSchema } },
      handle: async ({ params, principal }) => {
        const job = await jobs.get(params.job_id);
        if (job === undefined || !mayActFor(principal, job.user_id)) throw new ApiProblem('notFound', NOT_FOUND);
        return { status: 200, body: job, subject: job.user_id };
      },
    }),
    defineRoute({
      operationId: 'listDueSyncJobs',
      method: 'get',
      path: '/v1/sync-jobs',
      tag: 'sync-jobs',
      summary: 'Jobs in a status scheduled up to an instant, earliest first (admin: for workers)',
      scope: 'admin',
      subject: 'handler',
      query: DueQuerySchema,
      responses: { 200: { description: 'A page of jobs', schema: pageSchema(SyncJobSchema) } },
      handle: async ({ query }) => {
        const dueBefore = query.due_before ?? (query.status === 'pending' ? clock.now().toISOString() : undefined);
        const page = await jobs.listByStatus(query.status, dueBefore, { limit: query.limit, cursor: query.cursor });
        return { status: 200, body: pageBody(page), subject: 'all-users' };
      },
    }),
  ];
}
