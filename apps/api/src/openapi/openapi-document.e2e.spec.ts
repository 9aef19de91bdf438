import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import { UNCALLED_DEXCOM_ENV, startTestApi, type ApiResponse, type TestApi } from '../test-support/test-api.ts';

type Json = Record<string, unknown>;

const VALIDATOR_ENTRY = require.resolve('@seriousme/openapi-schema-validator');

/**
 * Validates an OpenAPI document with @seriousme/openapi-schema-validator in
 * a child Node process: the package is ESM only (it reads its schemas via
 * `import.meta.url`), which Jest's CommonJS runtime cannot load.
 */
async function validateOpenApi(document: unknown): Promise<{ valid: boolean; version?: string; errors?: unknown }> {
  const script = `
    const { Validator } = await import(${JSON.stringify(pathToFileURL(VALIDATOR_ENTRY).href)});
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdin.end(JSON.stringify(document));
  const code = await exited;
  if (code !== 0) throw new Error(`The OpenAPI validator exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as { valid: boolean; version?: string; errors?: unknown };
}

interface AjvValidate {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}
interface Ajv {
  compile(schema: object): AjvValidate;
}

/**
 * Ajv 8 with the 2020-12 dialect, as the validator itself depends on it:
 * `ajv/dist/2020` does not resolve from this project (the hoisted `ajv` is
 * 6.x, eslint's), so it is required from the validator's own location.
 */
function jsonSchema2020(): Ajv {
  const fromValidator = createRequire(VALIDATOR_ENTRY);
  const { default: Ajv2020 } = fromValidator('ajv/dist/2020') as { default: new (options: object) => Ajv };
  const { default: addFormats } = fromValidator('ajv-formats') as { default: (ajv: Ajv) => Ajv };
  return addFormats(new Ajv2020({ strict: true, allErrors: true }));
}

/** `#/components/schemas/X` → `#/$defs/X`, so a response schema compiles on its own with the components beside it. */
function withComponents(schema: unknown, components: Json): object {
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json;
  const defs = JSON.parse(JSON.stringify(components).replaceAll('"#/components/schemas/', '"#/$defs/')) as Json;
  return { ...rewritten, $defs: defs };
}

const SERVICE_OPERATIONS = ['GET /healthz', 'GET /readyz', 'GET /openapi.json', 'GET /docs/'];

describe('openApiDocument', () => {
  let api: TestApi;
  let document: Json;
  let paths: Record<string, Record<string, Json>>;
  let components: Json;

  beforeAll(async () => {
    // The reader below owns the health log, so its routes answer with data rather than a 404.
    // Dexcom is configured (nothing here calls it) so that the connect routes answer rather than 503.
    api = await startTestApi({ env: { HEALTH_LOG_OWNER: 'doc-reader', ...UNCALLED_DEXCOM_ENV } });
    const response = await api.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    document = response.body;
    paths = document['paths'] as typeof paths;
    components = (document['components'] as { schemas: Json }).schemas;
  });

  afterAll(async () => {
    await api.stop();
  });

  describe('GET /openapi.json', () => {
    it('when validated against the OpenAPI schemas, it is a valid OpenAPI 3.1 document', async () => {
      const result = await validateOpenApi(document);
      expect(result.errors).toBeUndefined();
      expect(result).toEqual({ valid: true, version: '3.1' });
    });

    it('when the document is broken, the same validation rejects it', async () => {
      // Proves the check above can fail: a path must start with "/" and a response needs a description.
      const broken = { ...document, paths: { ...paths, 'v1/no-slash': { get: { responses: { 200: {} } } } } };
      const result = await validateOpenApi(broken);
      expect(result.valid).toBe(false);
    });

    it('when listing its operations, it has exactly every API route and the service routes', () => {
      const documented = Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const expected = [
        ...apiRoutes(api.container).map((route) => `${route.method.toUpperCase()} ${route.path}`),
        ...SERVICE_OPERATIONS,
      ];
      expect(documented.sort()).toEqual(expected.sort());
    });

    it('when collecting operationIds, each is present and unique', () => {
      const ids = Object.values(paths).flatMap((operations) => Object.values(operations).map((operation) => operation['operationId']));
      expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
      expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    });

    it('when a path has a {parameter}, the operation documents it as a required path parameter', () => {
      const missing = Object.entries(paths).flatMap(([path, operations]) => {
        const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
        return Object.entries(operations).flatMap(([method, operation]) => {
          const parameters = (operation['parameters'] ?? []) as { name: string; in: string; required?: boolean }[];
          return names
            .filter((name) => !parameters.some((parameter) => parameter.name === name && parameter.in === 'path' && parameter.required === true))
            .map((name) => `${method.toUpperCase()} ${path}: {${name}}`);
        });
      });
      expect(missing).toEqual([]);
    });

    it('when reading components.schemas, it names every entity, input and the problem', () => {
      expect(Object.keys(components)).toEqual(
        expect.arrayContaining([
          'GlucoseReading',
          'GlucoseReadingInput',
          'HealthEntry',
          'HealthEntryInput',
          'DailySummary',
          'SyncJob',
          'SyncJobInput',
          'UserTokenInput',
          'UserTokenMetadata',
          'GlucoseStatistics',
          'ConnectionStatusView',
          'Problem',
        ]),
      );
    });

    it('when an operation requires a scope, the document says which; the public routes (the Dexcom callback, the Nightscout probes and sign-in exchange) say they need none', () => {
      const documented = Object.fromEntries(
        apiRoutes(api.container).map((route) => [route.operationId, paths[route.path]?.[route.method]?.['security']]),
      );
      const expected = Object.fromEntries(
        apiRoutes(api.container).map((route) => {
          const scopes = route.scope === null || route.scope === undefined ? [] : [route.scope];
          return [
            route.operationId,
            route.public === true
              ? []
              : route.credentials === 'nightscout'
                ? [{ bearer: scopes }, { apiSecret: scopes }, { tokenQuery: scopes }]
                : [{ bearer: scopes }],
          ];
        }),
      );
      expect(documented).toEqual(expected);
      // A bearer token with no scope named: any valid credential. Only `GET /v1/me`, which tells a credential whose it is.
      expect(apiRoutes(api.container).filter((route) => route.public !== true && route.scope === null).map((route) => route.operationId)).toEqual(['whoAmI']);
      expect(paths['/v1/me']?.['get']?.['description']).toContain('Any valid bearer credential, whatever its scopes.');
      expect(apiRoutes(api.container).filter((route) => route.public === true).map((route) => route.operationId)).toEqual([
        'dexcomCallback',
        'nightscoutStatus',
        'nightscoutVerifyAuth',
        'nightscoutAuthorizationRequest',
      ]);
    });

    it('when an operation takes a body, the document gives the route’s example, which its request schema accepts', () => {
      const bodyRoutes = apiRoutes(api.container).filter((route) => route.body !== undefined);
      expect(bodyRoutes.map((route) => route.operationId)).toEqual(
        expect.arrayContaining(['storeReadings', 'storeTokens', 'scheduleSyncJob', 'putHealthEntry']),
      );
      const examples = bodyRoutes.map((route) => {
        const requestBody = paths[route.path]?.[route.method]?.['requestBody'] as { content: Record<string, { schema: object; example?: unknown }> };
        const media = requestBody.content['application/json'] as { schema: object; example?: unknown };
        const validate = jsonSchema2020().compile(withComponents(media.schema, components));
        return { operation: route.operationId, example: media.example, valid: validate(media.example), errors: validate.errors ?? null };
      });
      expect(examples).toEqual(bodyRoutes.map((route) => ({ operation: route.operationId, example: route.example, valid: true, errors: null })));
    });
  });

  describe('real responses', () => {
    const USER = 'doc-reader';
    let token: string;
    let adminToken: string;
    const checked: { operation: string; status: number; errors: unknown }[] = [];

    /** Validates `response` against what the document says `method path` answers with its status. */
    function check(method: string, path: string, response: ApiResponse): void {
      const documented = paths[path]?.[method]?.['responses'] as Record<string, Json> | undefined;
      const entry = documented?.[String(response.status)];
      if (entry === undefined) {
        checked.push({ operation: `${method.toUpperCase()} ${path}`, status: response.status, errors: 'this status is not documented' });
        return;
      }
      const content = entry['content'] as Record<string, { schema: object }> | undefined;
      if (content === undefined) {
        checked.push({ operation: `${method.toUpperCase()} ${path}`, status: response.status, errors: response.body === '' ? null : 'a body where none is documented' });
        return;
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] as string;
      const media = content[mediaType];
      if (media === undefined) {
        checked.push({ operation: `${method.toUpperCase()} ${path}`, status: response.status, errors: `${mediaType} is not documented` });
        return;
      }
      const validate = jsonSchema2020().compile(withComponents(media.schema, components));
      const valid = validate(response.body);
      checked.push({ operation: `${method.toUpperCase()} ${path}`, status: response.status, errors: valid ? null : validate.errors });
    }

    beforeAll(async () => {
      token = await api.token(USER);
      adminToken = await api.token('doc-admin', SCOPES);
      const user = `/v1/users/${USER}`;
      const reading = {
        timestamp: '2026-04-01T08:00:00.000Z',
        glucose_value: 6.5,
        glucose_unit: 'mmol/L',
        trend_direction: 'steady',
        device_info: { device_id: 'g7', serial_number: 'SN-1', transmitter_id: 'TX-1' },
      };
      const calls: [method: string, path: string, concrete: string, options: Parameters<TestApi['call']>[2], expected: number][] = [
        ['get', '/healthz', '/healthz', {}, 200],
        ['get', '/readyz', '/readyz', {}, 200],
        ['post', '/v1/users/{user_id}/readings', `${user}/readings`, { token, body: reading }, 201],
        [
          'post',
          '/v1/users/{user_id}/readings',
          `${user}/readings`,
          {
            token,
            body: [
              { ...reading, timestamp: '2026-04-01T08:05:00.000Z', glucose_value: 39, out_of_range: 'low', glucose_unit: 'mg/dL' },
              { ...reading, timestamp: '2026-04-01T08:10:00.000Z', glucose_value: 250, glucose_unit: 'mg/dL' },
              {
                ...reading,
                timestamp: '2026-04-01T08:15:00.000Z',
                glucose_value: 251,
                glucose_unit: 'mg/dL',
                dexcom: { record_id: 'rec-1', trend: 'fortyFiveUp', trend_rate: 1.2, transmitter_generation: 'g7', display_device: 'iOS' },
              },
            ],
          },
          201,
        ],
        ['get', '/v1/users/{user_id}/readings', `${user}/readings?limit=2`, { token }, 200],
        ['get', '/v1/users/{user_id}/readings/latest', `${user}/readings/latest`, { token }, 200],
        [
          'get',
          '/v1/users/{user_id}/readings/stats',
          `${user}/readings/stats?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&time_zone=Europe/Berlin`,
          { token },
          200,
        ],
        ['delete', '/v1/users/{user_id}/readings/{timestamp}', `${user}/readings/2026-04-01T08:10:00.000Z`, { token }, 204],
        [
          'put',
          '/v1/users/{user_id}/tokens/{provider}',
          `${user}/tokens/dexcom`,
          { token, body: { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', scope: '', expires_at: 1_900_000_000 } },
          201,
        ],
        ['get', '/v1/users/{user_id}/tokens/{provider}', `${user}/tokens/dexcom`, { token }, 200],
        [
          'post',
          '/v1/users/{user_id}/sync-jobs',
          `${user}/sync-jobs`,
          { token, body: { provider: 'dexcom', window_start: '2026-04-01T00:00:00.000Z', window_end: '2026-04-02T00:00:00.000Z' } },
          201,
        ],
        ['get', '/v1/users/{user_id}/sync-jobs', `${user}/sync-jobs`, { token }, 200],
        ['get', '/v1/sync-jobs', '/v1/sync-jobs?status=pending', { token: adminToken }, 200],
        [
          'put',
          '/v1/health/entries/{date}/{time}',
          '/v1/health/entries/2026-04-01/0830',
          {
            token,
            body: { medications: { ibuprofen: '400mg', paracetamol: '1g' }, pain: { back: '6-7-8' }, activities: { walk: 20 }, bpr: '129/59', sleep: '7:39', o2: '97' },
          },
          200,
        ],
        ['get', '/v1/health/entries/{date}/{time}', '/v1/health/entries/2026-04-01/0830', { token }, 200],
        ['get', '/v1/health/entries', '/v1/health/entries?medication=paracetamol', { token }, 200],
        ['get', '/v1/health/summaries/{date}', '/v1/health/summaries/2026-04-01', { token }, 200],
        ['get', '/v1/health/summaries', '/v1/health/summaries?from=2026-04-01&to=2026-04-30', { token }, 200],
        // Problems, each where the document promises one.
        ['get', '/v1/users/{user_id}/readings', `${user}/readings?limit=0&order=sideways`, { token }, 400],
        ['get', '/v1/users/{user_id}/readings', `${user}/readings`, {}, 401],
        ['get', '/v1/users/{user_id}/readings', '/v1/users/someone-else/readings', { token }, 403],
        ['get', '/v1/users/{user_id}/tokens/{provider}', `${user}/tokens/fitbit`, { token }, 404],
        [
          'put',
          '/v1/users/{user_id}/tokens/{provider}',
          `${user}/tokens/dexcom`,
          {
            token,
            headers: { 'if-none-match': '*' },
            body: { access_token: 'a', refresh_token: 'r', token_type: 'Bearer', scope: '', expires_at: 1_900_000_000 },
          },
          412,
        ],
        [
          'post',
          '/v1/users/{user_id}/readings',
          `${user}/readings`,
          { token, rawBody: '{"timestamp":', headers: { 'content-type': 'application/json' } },
          400,
        ],
        ['post', '/v1/users/{user_id}/readings', `${user}/readings`, { token, rawBody: 'x', headers: { 'content-type': 'application/json; charset=koi8-x' } }, 415],
        ['delete', '/v1/users/{user_id}/tokens/{provider}', `${user}/tokens/dexcom`, { token }, 204],
        ['delete', '/v1/health/entries/{date}/{time}', '/v1/health/entries/2026-04-01/0830', { token }, 204],
        ['get', '/v1/users/{user_id}/connections/dexcom', `${user}/connections/dexcom`, { token }, 404],
        ['get', '/v1/users/{user_id}/connections/dexcom/authorize', `${user}/connections/dexcom/authorize`, { token }, 200],
        ['get', '/v1/users/{user_id}/connections/dexcom', `${user}/connections/dexcom`, { token }, 200],
        ['get', '/v1/connections/dexcom/callback', '/v1/connections/dexcom/callback?code=c&state=not.signed', {}, 400],
        ['delete', '/v1/users/{user_id}/connections/dexcom', `${user}/connections/dexcom`, { token }, 204],
      ];
      for (const [method, path, concrete, options, expected] of calls) {
        const response = await api.call(method.toUpperCase(), concrete, options);
        expect({ call: `${method.toUpperCase()} ${concrete}`, status: response.status }).toEqual({ call: `${method.toUpperCase()} ${concrete}`, status: expected });
        check(method, path, response);
      }
    });

    it('when the API answers, each response matches the schema the document gives for its status', () => {
      expect(checked.filter((entry) => entry.errors !== null)).toEqual([]);
    });

    it('when checked, the responses include a stored reading, a page of readings, statistics and problems', () => {
      const seen = checked.map((entry) => `${entry.operation} ${entry.status}`);
      expect(seen).toEqual(
        expect.arrayContaining([
          'POST /v1/users/{user_id}/readings 201',
          'GET /v1/users/{user_id}/readings 200',
          'GET /v1/users/{user_id}/readings/stats 200',
          'GET /v1/users/{user_id}/readings 400',
          'GET /v1/users/{user_id}/tokens/{provider} 404',
        ]),
      );
    });

    it('when a response breaks the documented schema, the check notices', () => {
      // The check itself must be able to fail: a reading with a field the schema does not allow is rejected.
      const schema = (paths['/v1/users/{user_id}/readings/latest']?.['get']?.['responses'] as Record<string, Json>)['200'] as Json;
      const media = (schema['content'] as Record<string, { schema: object }>)['application/json'] as { schema: object };
      const validate = jsonSchema2020().compile(withComponents(media.schema, components));
      const stored = {
        user_id: USER,
        timestamp: '2026-04-01T08:00:00.000Z',
        glucose_value: 117,
        glucose_unit: 'mg/dL',
        trend_direction: 'steady',
        device_info: { device_id: 'g7', serial_number: 'SN-1' },
        reading_type: 'CGM',
        source: 'dexcom',
        created_at: '2026-04-01T08:00:01.000Z',
        updated_at: '2026-04-01T08:00:01.000Z',
      };
      expect(validate(stored)).toBe(true);
      expect(validate({ ...stored, access_token: 'leaked' })).toBe(false);
      expect(validate({ ...stored, glucose_unit: 'mmol/L' })).toBe(false);
      expect(validate({ ...stored, dexcom: { record_id: 'rec-1', trend: 'doubleDown', trend_rate: -3.1 } })).toBe(true);
      expect(validate({ ...stored, dexcom: { record_id: 'rec-1', trend: 'TripleDown' } })).toBe(false);
    });
  });

  describe('GET /docs/', () => {
    it('when opened, it is the Swagger UI page loading its bundle from this server', async () => {
      const page = await api.call('GET', '/docs/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html\b/);
      expect(page.body).toMatch(/<script src="\.\/swagger-ui-bundle\.js"/);
      expect(page.body).not.toMatch(/src="(https?:)?\/\//);
    });

    it('when the page loads swagger-ui-bundle.js, it is served from the local swagger-ui-dist files', async () => {
      const bundle = await api.call('GET', '/docs/swagger-ui-bundle.js');
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
      expect(bundle.body).toBe(readFileSync(join(getAbsoluteFSPath(), 'swagger-ui-bundle.js'), 'utf8'));
    });

    it("when the page initialises, it loads this API's document", async () => {
      const initializer = await api.call('GET', '/docs/swagger-initializer.js');
      expect(initializer.status).toBe(200);
      expect(initializer.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
      expect(initializer.body).toContain("url: '../openapi.json'");
      expect(initializer.body).not.toContain('petstore');
    });
  });
});
