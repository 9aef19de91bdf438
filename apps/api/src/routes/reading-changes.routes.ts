import { ReadingChangeSchema } from '@vitals/models';
import { GlucoseReadingRepository } from '@vitals/repositories';
import { VitalsError } from '@vitals/dynamodb-core';
import type { Container } from 'inversify';
import { z } from 'zod';
import { ApiProblem } from '../middleware/problem-details.ts';
import { CursorSchema, LimitSchema, UserPathSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const ChangesQuerySchema = z.strictObject({
  since: CursorSchema.optional().describe('`next_cursor` of an earlier page; absent: from the first change kept'),
  limit: LimitSchema,
});

const ChangesPageSchema = z.strictObject({
  changes: z.array(ReadingChangeSchema).describe('Upserts and deletions in modification order (`srv_modified`)'),
  next_cursor: z.string().describe('Where the next read resumes, also when this page is empty: keep it'),
  has_more: z.boolean().describe('More changes are ready now; false when caught up'),
});

/** `GET /v1/users/{user_id}/readings/changes`: the readings' change feed, deletions included (docs/CHANGE-FEED.md). */
export function readingChangesRoutes(container: Container): Route[] {
  const readings = container.get(GlucoseReadingRepository);
  return [
    defineRoute({
      operationId: 'listReadingChanges',
      method: 'get',
      path: '/v1/users/{user_id}/readings/changes',
      tag: 'readings',
      summary: 'Readings stored, changed and deleted, in modification order, from a cursor',
      description:
        'A follower keeps `next_cursor` and asks again with `since`: every change (a re-save that changes nothing is none) ' +
        'comes exactly once, a deletion as `{kind: "delete"}`. Only changes older than the settle lag ' +
        '(`READING_CHANGES_SETTLE_MS`) are served; a cursor older than the tombstone retention ' +
        '(`READING_TOMBSTONE_RETENTION_DAYS`) is refused, and the follower reads everything again.',
      scope: 'readings:read',
      subject: 'path-user',
      params: UserPathSchema,
      query: ChangesQuerySchema,
      responses: { 200: { description: 'A page of changes', schema: ChangesPageSchema } },
      handle: async ({ params, query }) => {
        try {
          return { status: 200, body: await readings.listChanges(params.user_id, { cursor: query.since, limit: query.limit }) };
        } catch (error) {
          if (!VitalsError.is(error, 'repository.invalidCursor')) throw error;
          throw new ApiProblem('validation', undefined, [{ pointer: '/query/since', message: `${error.message} (${error.details.reason})` }]);
        }
      },
    }),
  ];
}
