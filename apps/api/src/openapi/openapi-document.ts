import {
  AccessTokenInputSchema,
  AccessTokenViewSchema,
  ConnectionStatusViewSchema,
  DailySummarySchema,
  DeviceInfoSchema,
  GlucoseReadingInputSchema,
  GlucoseReadingSchema,
  GlucoseStatisticsSchema,
  HealthEntryInputSchema,
  HealthEntrySchema,
  SyncJobInputSchema,
  SyncJobSchema,
  UserTokenInputSchema,
  UserTokenMetadataSchema,
} from '@vitals/models';
import { z } from 'zod';
import { SCOPES } from '../auth/scopes.ts';
import { CreatedAccessTokenSchema } from '../routes/access-tokens.routes.ts';
import { MeSchema } from '../routes/me.routes.ts';
import type { Route } from '../routes/route.ts';
import { SERVICE_OPERATIONS } from './service-operations.ts';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const ProblemSchema = z.strictObject({
  type: z.string().describe('A URN naming the kind of problem'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  request_id: z.string().optional().describe('Quote it when reporting a problem'),
  errors: z
    .array(z.strictObject({ pointer: z.string().describe('JSON Pointer into the request: /path/…, /query/…, /body/…, /header/…'), message: z.string() }))
    .optional()
    .describe('Validation problems, one per place'),
});

/** Every named schema, listed in `components.schemas`, with the direction it is read in. */
const COMPONENTS: readonly { name: string; schema: z.ZodType; io: Io }[] = [
  { name: 'GlucoseReadingInput', schema: GlucoseReadingInputSchema, io: 'input' },
  { name: 'GlucoseReading', schema: GlucoseReadingSchema, io: 'output' },
  { name: 'DeviceInfo', schema: DeviceInfoSchema, io: 'output' },
  { name: 'GlucoseStatistics', schema: GlucoseStatisticsSchema, io: 'output' },
  { name: 'UserTokenInput', schema: UserTokenInputSchema, io: 'input' },
  { name: 'UserTokenMetadata', schema: UserTokenMetadataSchema, io: 'output' },
  { name: 'AccessTokenInput', schema: AccessTokenInputSchema, io: 'input' },
  { name: 'AccessTokenView', schema: AccessTokenViewSchema, io: 'output' },
  { name: 'CreatedAccessToken', schema: CreatedAccessTokenSchema, io: 'output' },
  { name: 'Me', schema: MeSchema, io: 'output' },
  { name: 'SyncJobInput', schema: SyncJobInputSchema, io: 'input' },
  { name: 'SyncJob', schema: SyncJobSchema, io: 'output' },
  { name: 'ConnectionStatusView', schema: ConnectionStatusViewSchema, io: 'output' },
  { name: 'HealthEntryInput', schema: HealthEntryInputSchema, io: 'input' },
  { name: 'HealthEntry', schema: HealthEntrySchema, io: 'output' },
  { name: 'DailySummary', schema: DailySummarySchema, io: 'output' },
  { name: 'Problem', schema: ProblemSchema, io: 'output' },
];

const PROBLEM_RESPONSES: Record<number, string> = {
  400: 'Invalid request: `errors` lists a pointer and a message per problem',
  401: 'Missing, invalid, expired or revoked bearer token',
  403: "The token lacks the scope, or may not touch this user's data",
  404: 'Not found (also what another user’s resource looks like)',
  409: 'Conflict: changed since read (optimistic locking) or a state that does not allow it',
  412: 'Precondition failed: If-Match / If-None-Match did not hold; `ETag` is the current version, when there is one',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Rate limited; see the RateLimit headers',
  503: 'DynamoDB unavailable; retry',
};

/** A zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema; components by reference. */
function jsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  const component = COMPONENTS.find((entry) => entry.schema === schema);
  return component === undefined ? inlineSchema(schema, io) : { $ref: `#/components/schemas/${component.name}` };
}

function inlineSchema(schema: z.ZodType, io: Io): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  return rest;
}

function problemRef(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function parametersOf(route: Route): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [place, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (schema === undefined) continue;
    const object = jsonSchema(schema, 'input');
    const properties = (object['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((object['required'] ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...propertySchema } = property;
      parameters.push({
        name,
        in: place,
        required: place === 'path' || required.has(name),
        ...(description === undefined ? {} : { description }),
        schema: propertySchema,
      });
    }
  }
  for (const [name, description] of Object.entries(route.requestHeaders ?? {})) {
    parameters.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  }
  return parameters;
}

/** Who may call a route: nobody needs to for a public one; a Nightscout route also takes its clients' forms, each for the same scope. */
function securityOf(route: Route): Record<string, string[]>[] {
  if (route.public === true) return [];
  const scopes = route.scope === null ? [] : [route.scope];
  return route.credentials === 'nightscout' ? [{ bearer: scopes }, { apiSecret: scopes }, { tokenQuery: scopes }] : [{ bearer: scopes }];
}

/** What the operation's description says about who may call it. */
function accessOf(route: Route): string {
  if (route.public === true) return 'No bearer token: anyone may call it.';
  return route.scope === null ? 'Any valid bearer credential, whatever its scopes.' : `Requires the scope \`${route.scope}\`.`;
}

function operationOf(route: Route): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers === undefined
        ? {}
        : { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }),
      ...(response.contentType === 'text/html'
        ? { content: { 'text/html': { schema: { type: 'string' } } } }
        : response.schema === undefined
          ? {}
          : { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }),
    };
  }
  const conditional = route.requestHeaders?.['If-Match'] !== undefined || route.requestHeaders?.['If-None-Match'] !== undefined;
  // A public route reads no token, so it never answers 401 or 403.
  const auth = route.public === true ? [] : [401, 403];
  const problems = [400, ...auth, 404, 409, ...(conditional ? [412] : []), ...(route.body === undefined ? [] : [413, 415]), 429, 503];
  for (const status of problems) responses[status] = problemRef(PROBLEM_RESPONSES[status] as string);
  for (const [status, description] of Object.entries(route.problems ?? {})) responses[status] = problemRef(description);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, accessOf(route)]
      .filter(Boolean)
      .join('\n\n'),
    // An empty list overrides nothing globally here, and says plainly that no authentication applies.
    security: securityOf(route),
    parameters: parametersOf(route),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input'), example: route.example } } } }),
    responses,
  };
}

/** The OpenAPI 3.1 document of the API, generated from the routes' zod schemas. */
export function openApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of SERVICE_OPERATIONS) {
    paths[operation.path] = { ...paths[operation.path], get: operation.operation };
  }
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vitals API',
      version,
      description:
        'Glucose readings and statistics, OAuth tokens, sync jobs, Dexcom connections and a recovery health log over DynamoDB. ' +
        `Bearer JWT (HS256) with \`sub\` and \`scope\`, or a personal access token (\`vat_…\`, created under \`/v1/users/{user_id}/access-tokens\`); ` +
        `scopes: ${SCOPES.map((scope) => `\`${scope}\``).join(', ')}. ` +
        "The one route without a bearer token is the Dexcom callback, which the browser reaches from Dexcom's login. " +
        'Every failure is application/problem+json (RFC 9457).',
    },
    tags: [
      { name: 'service', description: 'Liveness, readiness and this document' },
      { name: 'me', description: 'Who the bearer credential speaks for' },
      { name: 'readings', description: 'CGM glucose readings and their statistics' },
      { name: 'settings', description: 'Per-user settings: the time zone of their local days' },
      { name: 'tokens', description: 'OAuth tokens of data providers (write-only)' },
      { name: 'access-tokens', description: 'Personal access tokens: named, scoped, expiring, revocable credentials for apps and caregivers' },
      { name: 'sync-jobs', description: 'Scheduled provider syncs' },
      { name: 'connections', description: 'Connecting a Dexcom account (OAuth), its sync status, disconnecting' },
      { name: 'health', description: 'The recovery health log and its daily summaries' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or vat_ access token' },
        apiSecret: { type: 'apiKey', in: 'header', name: 'api-secret', description: "Nightscout routes: an access token's SHA-1 (lowercase hex), or its text" },
        tokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'Nightscout routes: an access token (vat_…)' },
      },
      schemas: Object.fromEntries(COMPONENTS.map(({ name, schema, io }) => [name, inlineSchema(schema, io)])),
    },
  };
}
