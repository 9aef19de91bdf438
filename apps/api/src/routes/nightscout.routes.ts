import {
  NightscoutEntryInputSchema,
  NightscoutEntrySchema,
  readingToNightscoutEntry,
  type GlucoseReading,
  type GlucoseReadingInput,
  type NightscoutEntry,
} from '@vitals/models';
import { GlucoseReadingRepository, MAX_PAGE_LIMIT, REPOSITORY_TOKENS } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { InstantParamSchema, integerParam } from './common.schemas.ts';
import { MAX_READINGS_PER_REQUEST } from './readings.routes.ts';
import { defineRoute, type Route } from './route.ts';

/** What `count` defaults to, as in Nightscout. */
export const DEFAULT_ENTRIES_COUNT = 10;
/** The most entries one read answers; a larger `count` is read as this. */
export const MAX_ENTRIES_COUNT = 10_000;
/**
 * The Nightscout server version `status.json` reports: the API level these
 * routes follow, which clients compare against their minimum.
 */
export const NIGHTSCOUT_API_LEVEL = '15.0.0';

const TAG = 'nightscout';
export const NIGHTSCOUT_AUTH_NOTE =
  'The user is the one the credentials belong to: a personal access token as `api-secret` (its SHA-1, as clients send it), ' +
  '`?token=`, or `Authorization: Bearer`. Query parameters other than those listed are ignored, as Nightscout does.';

const EpochMsParam = z.string().regex(/^\d{1,16}$/, { message: 'must be epoch milliseconds' }).transform(Number);

/**
 * `count` and the `find` bounds Nightscout clients send, as Express's simple
 * query parser leaves them (`find[date][$gte]` is one key). Unknown keys
 * (xDrip+'s `rr`, nightscout-connect's cache busters) pass through unread.
 */
const EntriesQuerySchema = z.looseObject({
  count: integerParam(1, Number.MAX_SAFE_INTEGER)
    .transform((count) => Math.min(count, MAX_ENTRIES_COUNT))
    .default(DEFAULT_ENTRIES_COUNT)
    .describe(`How many entries, newest first; default ${DEFAULT_ENTRIES_COUNT}, at most ${MAX_ENTRIES_COUNT} answered`),
  'find[date][$gt]': EpochMsParam.optional().describe('Only entries after this instant (epoch ms)'),
  'find[date][$gte]': EpochMsParam.optional().describe('Only entries at or after this instant (epoch ms)'),
  'find[date][$lt]': EpochMsParam.optional().describe('Only entries before this instant (epoch ms)'),
  'find[date][$lte]': EpochMsParam.optional().describe('Only entries at or before this instant (epoch ms)'),
  'find[dateString][$gt]': InstantParamSchema.optional().describe('Only entries after this instant (RFC 3339)'),
  'find[dateString][$gte]': InstantParamSchema.optional().describe('Only entries at or after this instant (RFC 3339)'),
  'find[dateString][$lt]': InstantParamSchema.optional().describe('Only entries before this instant (RFC 3339)'),
  'find[dateString][$lte]': InstantParamSchema.optional().describe('Only entries at or before this instant (RFC 3339)'),
  'find[type]': z.string().optional().describe('Only `sgv` has entries here; any other type answers an empty list'),
  'find[type][$eq]': z.string().optional().describe('As `find[type]` (xDrip+ writes this form)'),
});
type EntriesQuery = z.output<typeof EntriesQuerySchema>;

/** The probes read nothing from the query; whatever a client adds is ignored. */
const AnyQuerySchema = z.looseObject({});

const UploadBodySchema = z.union([z.array(NightscoutEntryInputSchema).max(MAX_READINGS_PER_REQUEST), NightscoutEntryInputSchema]);

/** An upload's answer item: the stored entry, or an ignored entry echoed without `_id` (nothing was stored). */
const UploadedItemSchema = z.union([NightscoutEntrySchema, z.looseObject({ type: z.string() })]);

const isoOf = (ms: number) => new Date(ms).toISOString();
/** 9999-12-31T23:59:59.999Z: the last instant the stored form can write. */
const LATEST_INSTANT_MS = 253_402_300_799_999;

/** The inclusive [from, to] the `find` bounds leave, in the stored instant form (millisecond precision); undefined when empty. */
function windowOf(query: EntriesQuery): { from?: string; to?: string } | undefined {
  const lower = [
    query['find[date][$gte]'],
    query['find[date][$gt]'] === undefined ? undefined : query['find[date][$gt]'] + 1,
    query['find[dateString][$gte]'] === undefined ? undefined : Date.parse(query['find[dateString][$gte]']),
    query['find[dateString][$gt]'] === undefined ? undefined : Date.parse(query['find[dateString][$gt]']) + 1,
  ].filter((bound) => bound !== undefined);
  const upper = [
    query['find[date][$lte]'],
    query['find[date][$lt]'] === undefined ? undefined : query['find[date][$lt]'] - 1,
    query['find[dateString][$lte]'] === undefined ? undefined : Date.parse(query['find[dateString][$lte]']),
    query['find[dateString][$lt]'] === undefined ? undefined : Date.parse(query['find[dateString][$lt]']) - 1,
  ].filter((bound) => bound !== undefined);
  // Bounds beyond what a stored instant can be (before 1970, after 9999) bound nothing.
  const from = lower.length === 0 ? undefined : Math.max(...lower, 0);
  const to = upper.length === 0 ? undefined : Math.min(...upper, LATEST_INSTANT_MS);
  if ((from ?? 0) > (to ?? LATEST_INSTANT_MS)) return undefined;
  return { from: from === undefined ? undefined : isoOf(from), to: to === undefined ? undefined : isoOf(to) };
}

/** `/api/v1/entries…` paths are absolute: Loop, xDrip+ and librelink-up rebuild them from the host alone. */
export function nightscoutRoutes(container: Container): Route[] {
  const readings = container.get(GlucoseReadingRepository);
  const clock = container.get(REPOSITORY_TOKENS.Clock);

  /** The newest `count` entries of `userId` inside the query's bounds, newest first. */
  async function newestEntries(userId: string, query: EntriesQuery, count: number): Promise<NightscoutEntry[]> {
    const types = [query['find[type]'], query['find[type][$eq]']];
    const window = windowOf(query);
    if (types.some((type) => type !== undefined && type !== 'sgv') || window === undefined) return [];
    const entries: NightscoutEntry[] = [];
    let cursor: string | undefined;
    do {
      const limit = Math.min(count - entries.length, MAX_PAGE_LIMIT);
      const page = await readings.listRange(userId, { ...window, order: 'desc' }, { limit, cursor });
      for (const reading of page.items) entries.push(readingToNightscoutEntry(reading));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && entries.length < count);
    return entries;
  }

  const listEntries = (operationId: string, path: `/${string}`, summary: string, fixedCount?: number) =>
    defineRoute({
      operationId,
      method: 'get',
      path,
      tag: TAG,
      summary,
      description: `Nightscout's \`sgv\` entries, newest first. ${NIGHTSCOUT_AUTH_NOTE}`,
      scope: 'readings:read',
      subject: 'credentials-user',
      credentials: 'nightscout',
      query: EntriesQuerySchema,
      responses: { 200: { description: 'Entries, newest first', schema: z.array(NightscoutEntrySchema) } },
      handle: async ({ principal, query }) => ({
        status: 200,
        body: await newestEntries(principal.user_id, query, fixedCount ?? query.count),
      }),
    });

  const upload = (operationId: string, path: `/${string}`) =>
    defineRoute({
      operationId,
      method: 'post',
      path,
      tag: TAG,
      summary: `Upload one entry or an array of up to ${MAX_READINGS_PER_REQUEST}`,
      description:
        'Answers 200 with an array as long as the upload, each stored entry with its `_id` (Loop requires both). ' +
        'Idempotent: an entry with the `date` of a stored one replaces it, so a re-sent upload never duplicates. ' +
        '`sgv` entries are stored; entries of other types (`mbg`, `cal`, …) are not, and are echoed back without `_id`. ' +
        `The upload is validated as a whole before anything is stored. ${NIGHTSCOUT_AUTH_NOTE}`,
      scope: 'readings:write',
      subject: 'credentials-user',
      credentials: 'nightscout',
      query: AnyQuerySchema,
      body: UploadBodySchema,
      example: [
        {
          type: 'sgv',
          sgv: 142,
          date: 1_767_603_600_000,
          dateString: '2026-01-05T09:00:00.000Z',
          direction: 'FortyFiveUp',
          device: 'xDrip-DexcomG6',
          noise: 1,
        },
      ],
      responses: { 200: { description: 'The entries as stored, in the order sent', schema: z.array(UploadedItemSchema) } },
      handle: async ({ principal, body }) => {
        const uploads = Array.isArray(body) ? body : [body];
        const inputs: GlucoseReadingInput[] = uploads.flatMap((item) => (item.kind === 'sgv' ? [item.reading] : []));
        const stored = new Map<string, GlucoseReading>();
        if (inputs.length > 0) {
          for (const reading of await readings.saveManyParsed(principal.user_id, inputs)) stored.set(reading.timestamp, reading);
        }
        const answer = uploads.map((item) => {
          if (item.kind === 'ignored') return item.entry;
          const reading = stored.get(item.reading.timestamp);
          if (reading === undefined) throw new Error(`The reading at ${item.reading.timestamp} was not stored`);
          return readingToNightscoutEntry(reading);
        });
        return { status: 200, body: answer };
      },
    });

  return [
    upload('nightscoutUploadEntries', '/api/v1/entries'),
    upload('nightscoutUploadEntriesJson', '/api/v1/entries.json'),
    listEntries('nightscoutEntries', '/api/v1/entries', 'Entries (Nightscout v1)'),
    listEntries('nightscoutEntriesJson', '/api/v1/entries.json', 'Entries (Nightscout v1), `.json` form'),
    listEntries('nightscoutSgvEntries', '/api/v1/entries/sgv', '`sgv` entries (Nightscout v1)'),
    listEntries('nightscoutSgvEntriesJson', '/api/v1/entries/sgv.json', '`sgv` entries (Nightscout v1), `.json` form'),
    listEntries('nightscoutCurrentEntry', '/api/v1/entries/current', 'The newest entry, as a one-item array', 1),
    listEntries('nightscoutCurrentEntryJson', '/api/v1/entries/current.json', 'The newest entry, as a one-item array, `.json` form', 1),
    defineRoute({
      operationId: 'nightscoutStatus',
      method: 'get',
      path: '/api/v1/status.json',
      tag: TAG,
      summary: "Nightscout's server status probe",
      description:
        `Says the server speaks Nightscout's API (level ${NIGHTSCOUT_API_LEVEL}), in mg/dL, and its time. ` +
        'Tells nothing about any user; `authorized` says whether the credentials sent are valid.',
      public: true,
      subject: 'handler',
      credentials: 'nightscout',
      query: AnyQuerySchema,
      responses: { 200: { description: 'The status', schema: z.looseObject({ status: z.literal('ok'), serverTimeEpoch: z.number() }) } },
      handle: async ({ identify }) => {
        const now = clock.now();
        const principal = await identify();
        return {
          status: 200,
          subject: principal?.user_id,
          body: {
            status: 'ok',
            name: 'vitals',
            version: NIGHTSCOUT_API_LEVEL,
            serverTime: now.toISOString(),
            serverTimeEpoch: now.getTime(),
            apiEnabled: true,
            careportalEnabled: false,
            boluscalcEnabled: false,
            settings: { units: 'mg/dl', enable: [], authDefaultRoles: '' },
            extendedSettings: {},
            authorized: principal !== undefined,
          },
        };
      },
    }),
    defineRoute({
      operationId: 'nightscoutVerifyAuth',
      method: 'get',
      path: '/api/v1/verifyauth',
      tag: TAG,
      summary: 'What the credentials sent may do',
      description:
        'Always 200, as in Nightscout: `message.message` is `OK` for valid credentials and `UNAUTHORIZED` otherwise; ' +
        '`canRead`/`canWrite` follow the scopes `readings:read`/`readings:write`.',
      public: true,
      subject: 'handler',
      credentials: 'nightscout',
      query: AnyQuerySchema,
      responses: { 200: { description: 'The verdict', schema: z.strictObject({ status: z.literal(200), message: z.looseObject({ message: z.string() }) }) } },
      handle: async ({ identify }) => {
        const principal = await identify();
        const canRead = principal?.scopes.has('readings:read') ?? false;
        const canWrite = principal?.scopes.has('readings:write') ?? false;
        return {
          status: 200,
          subject: principal?.user_id,
          body: {
            status: 200,
            message: {
              canRead,
              canWrite,
              isAdmin: false,
              message: principal === undefined ? 'UNAUTHORIZED' : 'OK',
              rolefound: principal === undefined ? 'NOTFOUND' : 'FOUND',
              permissions: 'ROLE',
            },
          },
        };
      },
    }),
    defineRoute({
      operationId: 'nightscoutExperimentsTest',
      method: 'get',
      path: '/api/v1/experiments/test',
      tag: TAG,
      summary: 'Credential check clients run before uploading',
      description: `200 \`{ "status": "ok" }\` when the credentials are valid. ${NIGHTSCOUT_AUTH_NOTE}`,
      scope: 'readings:read',
      subject: 'credentials-user',
      credentials: 'nightscout',
      query: AnyQuerySchema,
      responses: { 200: { description: 'Valid', schema: z.strictObject({ status: z.literal('ok') }) } },
      handle: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
    }),
  ];
}
