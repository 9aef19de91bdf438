import { NightscoutHistoryDocumentSchema, readingChangeToNightscoutDocument } from '@vitals/models';
import { GlucoseReadingRepository, MAX_PAGE_LIMIT } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { integerParam } from './common.schemas.ts';
import { NIGHTSCOUT_AUTH_NOTE } from './nightscout.routes.ts';
import { defineRoute, type Route } from './route.ts';

/** `lastModified` as AndroidAPS sends it: epoch milliseconds (0 for everything). */
const LastModifiedParam = z.string().regex(/^\d{1,16}$/, { message: 'must be epoch milliseconds' }).transform(Number);

/**
 * Nightscout v3's history of entries, the way AndroidAPS follows a
 * Nightscout: every document changed after a server time, deletions
 * included, served from the readings' change feed (`listChanges` by
 * `since_ms`), oldest change first.
 */
export function nightscoutHistoryRoutes(container: Container): Route[] {
  const readings = container.get(GlucoseReadingRepository);
  return [
    defineRoute({
      operationId: 'nightscoutEntriesHistory',
      method: 'get',
      path: '/api/v3/entries/history/{last_modified}',
      tag: 'nightscout',
      summary: 'Entries changed after a server time, deletions included (Nightscout v3)',
      description:
        'Documents whose `srvModified` is after `last_modified` (epoch ms), oldest change first, at most `limit` ' +
        `(default and most ${MAX_PAGE_LIMIT}): a stored or changed entry with \`isValid: true\`, a deleted one as ` +
        '`{ identifier, date, srvModified, isValid: false }`. Only changes older than the change feed\'s settle lag are served, ' +
        'so a follower asking again from the last `srvModified` it received misses none (docs/CHANGE-FEED.md). ' +
        `Answers \`{ status: 200, result }\`, with \`Last-Modified\` of the newest change when there is one. ${NIGHTSCOUT_AUTH_NOTE}`,
      scope: 'readings:read',
      subject: 'credentials-user',
      credentials: 'nightscout',
      params: z.strictObject({ last_modified: LastModifiedParam }),
      query: z.looseObject({
        limit: integerParam(1, MAX_PAGE_LIMIT).default(MAX_PAGE_LIMIT).describe(`At most this many documents; default ${MAX_PAGE_LIMIT}`),
      }),
      responses: {
        200: {
          description: 'The changes, oldest first',
          schema: z.strictObject({ status: z.literal(200), result: z.array(NightscoutHistoryDocumentSchema) }),
        },
      },
      handle: async ({ principal, params, query }) => {
        const page = await readings.listChanges(principal.user_id, { since_ms: params.last_modified, limit: query.limit });
        const result = page.changes.map(readingChangeToNightscoutDocument);
        const newest = result.at(-1)?.srvModified;
        const headers = newest === undefined ? undefined : { 'Last-Modified': new Date(newest).toUTCString() };
        return { status: 200, body: { status: 200, result }, headers };
      },
    }),
  ];
}
