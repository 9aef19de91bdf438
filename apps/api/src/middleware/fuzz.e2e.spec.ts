import fc from 'fast-check';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { SCOPES } from '../auth/scopes.ts';
import { apiRoutes } from '../routes/api-routes.ts';
import type { Route } from '../routes/route.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';

/** Runs per property: four properties, one request a run, keep the file well inside 40 s. */
const RUNS = 200;
const USER = 'fuzzer';

type Json = Record<string, unknown>;

interface RawResponse {
  status: number;
  contentType: string | undefined;
  requestId: string | undefined;
  text: string;
}

/** Valid path values and bodies, by parameter name and operationId: the base every fuzzed request mutates. */
const VALID_PATH_VALUES: Readonly<Record<string, string>> = {
  user_id: USER,
  timestamp: '2026-01-05T08:00:00.000Z',
  provider: 'dexcom',
  job_id: '00000000-0000-4000-8000-000000000000',
  date: '2026-01-05',
  time: '0800',
};

const VALID_BODIES: Readonly<Record<string, Json>> = {
  storeReadings: {
    timestamp: '2026-01-05T09:00:00.000Z',
    glucose_value: 120,
    glucose_unit: 'mg/dL',
    trend_direction: 'steady',
    device_info: { device_id: 'g7', serial_number: 'SN-1', transmitter_id: 'TX-1' },
    reading_type: 'CGM',
    source: 'dexcom',
  },
  storeTokens: { access_token: 'access', refresh_token: 'refresh', token_type: 'Bearer', scope: 'offline_access', expires_at: 1_900_000_000 },
  scheduleSyncJob: {
    provider: 'dexcom',
    scheduled_at: '2026-01-05T10:00:00.000Z',
    window_start: '2026-01-04T00:00:00.000Z',
    window_end: '2026-01-05T00:00:00.000Z',
    max_attempts: 3,
  },
  putHealthEntry: {
    medications: { ibuprofen: '400mg', paracetamol: '1g' },
    pain: { back: '6-7-8', knee: '3' },
    activities: { walk: 20 },
    o2: '97',
    bpr: '129/59',
    note: 'felt fine',
    sleep: '7:39',
  },
};

function validBody(route: Route): Json | undefined {
  if (route.body === undefined) return undefined;
  const body = VALID_BODIES[route.operationId];
  if (body === undefined) throw new Error(`No valid body for ${route.operationId}: add one to VALID_BODIES`);
  return body;
}

function pathWith(route: Route, values: Readonly<Record<string, string>>): string {
  return route.path.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    const value = values[name] ?? VALID_PATH_VALUES[name];
    if (value === undefined) throw new Error(`No valid value for {${name}} of ${route.operationId}: add one to VALID_PATH_VALUES`);
    return values[name] ?? encodeURIComponent(value);
  });
}

/** Percent-encodes the UTF-8 bytes of `text` except the ASCII characters `keep` matches (lone surrogates become U+FFFD). */
function percentEncode(text: string, keep: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Leaves `%`, `/`, `.` and the sub-delimiters raw: malformed escapes, dot segments and extra segments reach the server. */
const LOOSE_PATH = /[A-Za-z0-9\-._~!$&'()*+,;=:@%/]/;
/** In a query: `&`, `=`, `+` and `%` raw, so keys and values split and decode in unexpected ways. */
const LOOSE_QUERY = /[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]/;

const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

const weirdText = fc.constantFrom(
  '',
  ' ',
  '.',
  '..',
  '../..',
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '😀',
  '\u202e',
  'ǅ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '${jndi:x}',
  "' OR 1=1 --",
  '<script>',
  'a'.repeat(300),
);
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  weirdText,
);
const instantish = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2026-01-05T24:00:00.000Z',
    '2026-01-05T08:00:00Z',
    '2026-01-05T08:00:00+14:00',
    '2026-01-05T08:00:00-12:00',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '2026-01-05',
    '0800',
  ),
);
const weirdScalar = fc.oneof(
  anyText,
  instantish,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(0, -1, 19, 20, 39, 401, 600, 601, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1e-9, 0.1 + 0.2),
);
const anyJsonish = fc.oneof(weirdScalar, fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 3 }));

const json = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8');

/** The start of a long text and its length: enough to recognise a counterexample in a failure message. */
function excerpt(text: string): string {
  return text.length <= 300 ? text : `${text.slice(0, 300)}… (${text.length} characters)`;
}

/** Every path (list of keys) to a node of `value`, the root included. */
function nodePaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]];
  return [[...prefix], ...Object.entries(value).flatMap(([key, inner]) => nodePaths(inner, [...prefix, key]))];
}

type Mutation = { op: 'delete' } | { op: 'set'; value: unknown } | { op: 'add'; key: string; value: unknown };

function applyMutation(root: unknown, path: readonly string[], mutation: Mutation): unknown {
  if (path.length === 0) {
    if (mutation.op === 'set') return mutation.value;
    if (mutation.op === 'add' && typeof root === 'object' && root !== null) return { ...root, [mutation.key]: mutation.value };
    return root;
  }
  const copy = structuredClone(root) as Json;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? (parent as Json)[key] : undefined;
  // An earlier mutation may have removed or replaced this node's parent: then there is nothing to change.
  if (typeof parent !== 'object' || parent === null) return copy;
  return mutateAt(copy, parent as Json, path[path.length - 1] as string, mutation);
}

function mutateAt(copy: Json, parent: Json, last: string, mutation: Mutation): Json {
  if (mutation.op === 'delete') delete parent[last];
  else if (mutation.op === 'set') parent[last] = mutation.value;
  else if (typeof parent[last] === 'object' && parent[last] !== null) (parent[last] as Json)[mutation.key] = mutation.value;
  else parent[mutation.key] = mutation.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ op: 'delete' as const }),
  fc.record({ op: fc.constant('set' as const), value: anyJsonish }),
  fc.record({ op: fc.constant('set' as const), value: fc.constantFrom('x'.repeat(450_000), 'é'.repeat(220_000)) }),
  fc.record({ op: fc.constant('add' as const), key: anyText, value: anyJsonish }),
);

/** `base` with one to three fields deleted, replaced or added (nested ones too). */
function nearValid(base: Json): fc.Arbitrary<unknown> {
  const paths = nodePaths(base);
  return fc
    .array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 3 })
    .map((mutations) => mutations.reduce<unknown>((body, [path, change]) => applyMutation(body, path, change), base));
}

/** A body near `base`: mutated, or an array of mutated and valid ones (for routes taking arrays), or a valid one. */
function nearValidBody(base: Json): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: nearValid(base), weight: 6 },
    { arbitrary: fc.array(fc.oneof(nearValid(base), fc.constant(base)), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.constant(base), weight: 1 },
  );
}

describe('fuzzing the API', () => {
  let api: TestApi;
  let routes: Route[];
  let document: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  let realCursors: string[];
  const tokens = new Map<string, string>();
  let adminToken: string;

  function routeOf(operationId: string): Route {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    if (route === undefined) throw new Error(`No route ${operationId}`);
    return route;
  }

  /** A token with every non-admin scope for `userId`, or an admin's where `userId` cannot be a token subject. */
  async function tokenFor(userId: string | undefined): Promise<string> {
    if (userId === undefined || userId.length < 1 || userId.length > 256) return adminToken;
    let token = tokens.get(userId);
    if (token === undefined) {
      token = await api.token(userId);
      tokens.set(userId, token);
    }
    return token;
  }

  /** The request exactly as given: the path is not normalised (no `..` resolution, no re-encoding). */
  function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
    const { hostname, port } = new URL(api.url);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: hostname, port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(body.length) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              requestId: response.headers['x-request-id'] as string | undefined,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /**
   * The property: never a 5xx, and every non-2xx is problem+json whose
   * `status` is the HTTP status. A 5xx fails with the server's log line.
   */
  function expectWellFormed(response: RawResponse, what: string): void {
    if (response.status >= 500) {
      const logged = api.logs().filter((line) => line['request_id'] === response.requestId && line['component'] === 'problems');
      throw new Error(`${what} answered ${response.status}: ${response.text}\nserver log: ${JSON.stringify(logged)}`);
    }
    if (response.status >= 200 && response.status < 300) return;
    expect({ what, contentType: response.contentType }).toEqual({ what, contentType: expect.stringMatching(/^application\/problem\+json(;|$)/) });
    const body = JSON.parse(response.text) as unknown;
    expect(body).toEqual(
      expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: response.status, detail: expect.any(String) }),
    );
  }

  beforeAll(async () => {
    api = await startTestApi({ env: { HEALTH_LOG_OWNER: USER } });
    routes = apiRoutes(api.container);
    adminToken = await api.token('fuzz-admin', SCOPES);
    document = (await api.call('GET', '/openapi.json')).body;

    // Enough data for every list to have a second page, so real cursors exist to mutate and misuse.
    const token = await tokenFor(USER);
    const seed = async (method: string, path: string, body: unknown) => {
      const response = await api.call(method, path, { token, body });
      expect({ path, status: response.status }).toEqual({ path, status: method === 'POST' ? 201 : 200 });
    };
    for (const minute of ['00', '05', '10']) {
      await seed('POST', `/v1/users/${USER}/readings`, { ...VALID_BODIES['storeReadings'], timestamp: `2026-01-05T09:${minute}:00.000Z` });
    }
    for (const day of ['03', '04']) {
      await seed('POST', `/v1/users/${USER}/sync-jobs`, { ...VALID_BODIES['scheduleSyncJob'], scheduled_at: `2026-01-${day}T10:00:00.000Z` });
    }
    for (const [date, time] of [['2026-01-05', '0800'], ['2026-01-05', '0900'], ['2026-01-06', '0800']]) {
      await seed('PUT', `/v1/health/entries/${date}/${time}`, VALID_BODIES['putHealthEntry']);
    }
    const pages = [
      [`/v1/users/${USER}/readings?limit=1`, token],
      [`/v1/users/${USER}/readings?limit=1&order=desc`, token],
      [`/v1/users/${USER}/sync-jobs?limit=1`, token],
      ['/v1/sync-jobs?limit=1&due_before=2026-12-31T00:00:00Z', adminToken],
      ['/v1/health/entries?date=2026-01-05&limit=1', token],
      ['/v1/health/entries?medication=paracetamol&limit=1', token],
      ['/v1/health/summaries?from=2026-01-01&to=2026-01-31&limit=1', token],
    ] as const;
    realCursors = [];
    for (const [path, pageToken] of pages) {
      const page = await api.call('GET', path, { token: pageToken });
      expect({ path, next_cursor: page.body.next_cursor }).toEqual({ path, next_cursor: expect.any(String) });
      realCursors.push(page.body.next_cursor);
    }
  });

  afterAll(async () => {
    await api.stop();
  });

  const cursor = () =>
    fc.oneof(
      fc.constantFrom(...realCursors),
      fc
        .tuple(fc.constantFrom(...realCursors), fc.nat(), fc.constantFrom(...'AZaz09-_.=+/%'))
        .map(([real, at, char]) => `${real.slice(0, at % real.length)}${char}${real.slice((at % real.length) + 1)}`),
      fc.tuple(fc.constantFrom(...realCursors), fc.nat()).map(([real, at]) => real.slice(0, at % real.length)),
      fc.tuple(fc.constantFrom(...realCursors), fc.constantFrom(...realCursors)).map(([a, b]) => `${a.split('.')[0]}.${b.split('.')[1]}`),
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'), maxLength: 200 }),
      fc
        .tuple(fc.jsonValue({ maxDepth: 2 }), fc.uint8Array({ maxLength: 32 }))
        .map(([payload, signature]) => `${Buffer.from(JSON.stringify(payload) ?? '').toString('base64url')}.${Buffer.from(signature).toString('base64url')}`),
      fc.constant('a'.repeat(5000)),
    );

  describe('request bodies', () => {
    it('when a route taking a body gets any JSON value, near-valid objects included, it never answers 5xx', async () => {
      const bodyRoutes = routes.filter((route) => route.body !== undefined);
      expect(bodyRoutes.map((route) => route.operationId)).toEqual(expect.arrayContaining(Object.keys(VALID_BODIES)));
      const cases = fc.constantFrom(...bodyRoutes).chain((route) =>
        fc.record({
          operation: fc.constant(route.operationId),
          body: fc.oneof(
            { arbitrary: nearValidBody(validBody(route) as Json), weight: 3 },
            { arbitrary: fc.jsonValue(), weight: 1 },
            { arbitrary: fc.anything(), weight: 1 },
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ({ operation, body }) => {
          const route = routeOf(operation);
          const text = JSON.stringify(body) as string | undefined;
          const path = pathWith(route, {});
          const response = await send(
            route.method.toUpperCase(),
            path,
            { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': 'application/json' },
            text === undefined ? undefined : Buffer.from(text, 'utf8'),
          );
          expectWellFormed(response, `${route.method.toUpperCase()} ${path} with ${excerpt(text ?? '(no body)')}`);
        }),
        { numRuns: RUNS },
      );
    });

    it('when a body comes with any content type, encoding or bytes, it never answers 5xx', async () => {
      const bodyRoutes = routes.filter((route) => route.body !== undefined);
      const contentType = fc.oneof(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=UTF-16',
          'application/json; charset=utf-32',
          'application/json; charset=latin1',
          'application/json; charset=koi8-x',
          'application/json; charset=',
          'application/json; charset="utf-8"',
          'application/json; charset=utf-8; charset=latin1',
          'application/json; foo',
          'APPLICATION/JSON',
          'application/problem+json',
          'application/merge-patch+json',
          'text/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          '*/*',
          'application/*',
          'json',
          ';',
          '',
        ),
        fc.string({ unit: 'binary-ascii', maxLength: 60 }).filter((value) => !INVALID_HEADER_CHAR.test(value)),
      );
      const contentEncoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'zstd', 'identity', 'GZIP', 'gzip, deflate', 'x-unknown'), { nil: undefined });
      const bytes = (route: Route) =>
        fc.oneof(
          fc.constant(Buffer.from(JSON.stringify(validBody(route)))),
          fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
          fc.uint8Array({ maxLength: 256 }).map((array) => Buffer.from(array)),
          fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '', 'utf16le')),
          fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(validBody(route)))])),
          fc.constant(gzipSync(JSON.stringify(validBody(route)))),
          fc.uint8Array({ maxLength: 64 }).map((array) => gzipSync(array).subarray(0, 12)),
          fc.constant(Buffer.alloc(api.config.body_limit_bytes + 10, ' ')),
        );
      const cases = fc.constantFrom(...bodyRoutes).chain((route) =>
        fc.record({ operation: fc.constant(route.operationId), contentType, contentEncoding, body: bytes(route) }),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ({ operation, contentType: type, contentEncoding: encoding, body }) => {
          const route = routeOf(operation);
          const path = pathWith(route, {});
          const headers: Record<string, string> = { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': type };
          if (encoding !== undefined) headers['content-encoding'] = encoding;
          const response = await send(route.method.toUpperCase(), path, headers, body);
          expectWellFormed(response, `${route.method.toUpperCase()} ${path} (${type}, ${encoding ?? 'no encoding'})`);
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe('path parameters', () => {
    it('when a path parameter is any text, encoded or raw, dot segments and very long ones included, it never answers 5xx', async () => {
      const paramRoutes = routes.filter((route) => route.path.includes('{'));
      const segment = (name: string) =>
        fc.oneof(
          anyText.map((text) => percentEncode(text, UNRESERVED)),
          anyText.map((text) => percentEncode(text, LOOSE_PATH)),
          fc.uint8Array({ minLength: 1, maxLength: 12 }).map((array) => percentEncode(Buffer.from(array).toString('latin1'), /(?!)/)),
          fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '.%2e', '..%2F..%2Fsync-jobs', '%2F', 'a%2Fb', '~', '%E0%A4%A', '%C0%AF', '%'),
          fc.integer({ min: 257, max: 6000 }).map((length) => 'u'.repeat(length)),
          fc.constant(encodeURIComponent(VALID_PATH_VALUES[name] ?? 'x')),
        );
      const cases = fc.constantFrom(...paramRoutes).chain((route) => {
        const names = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1] as string);
        return fc.record({
          operation: fc.constant(route.operationId),
          values: fc.record(Object.fromEntries(names.map((name) => [name, segment(name)]))) as fc.Arbitrary<Record<string, string>>,
        });
      });
      await fc.assert(
        fc.asyncProperty(cases, async ({ operation, values }) => {
          const route = routeOf(operation);
          const path = pathWith(route, values);
          let userId: string | undefined = USER;
          if (values['user_id'] !== undefined) {
            try {
              userId = values['user_id'].includes('/') ? undefined : decodeURIComponent(values['user_id']);
            } catch {
              userId = undefined;
            }
          }
          const body = validBody(route);
          const headers: Record<string, string> = { authorization: `Bearer ${await tokenFor(userId)}` };
          if (body !== undefined) headers['content-type'] = 'application/json';
          const response = await send(route.method.toUpperCase(), path, headers, body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
          expectWellFormed(response, `${route.method.toUpperCase()} ${path}`);
        }),
        { numRuns: RUNS },
      );
    });
  });

  describe('query strings', () => {
    it('when a list gets any query, repeated keys and foreign or mutated cursors included, it never answers 5xx', async () => {
      const queryRoutes = routes.filter((route) => route.method === 'get' && route.query !== undefined);
      const knownKeys = (route: Route) =>
        (document.paths[route.path]?.[route.method]?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      const value = fc.oneof(
        anyText,
        instantish,
        cursor(),
        fc.integer().map(String),
        fc.double().map(String),
        fc.constantFrom('asc', 'desc', 'pending', 'completed', '1', '1000', '1001', '0', '-0', '1.5', '0x10', ' 1', '1e3', 'paracetamol', '2026-01-05', '0800', 'UTC', 'Mars/Olympus'),
      );
      const cases = fc.constantFrom(...queryRoutes).chain((route) =>
        fc.record({
          operation: fc.constant(route.operationId),
          pairs: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...knownKeys(route)), anyText), value), { maxLength: 6 }),
          loose: fc.boolean(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ({ operation, pairs, loose }) => {
          const route = routeOf(operation);
          const keep = loose ? LOOSE_QUERY : UNRESERVED;
          const query = pairs.map(([key, text]) => `${percentEncode(key, keep)}=${percentEncode(text, keep)}`).join('&');
          const path = `${pathWith(route, {})}?${query}`;
          const token = route.scope === 'admin' ? adminToken : await tokenFor(USER);
          const response = await send('GET', path, { authorization: `Bearer ${token}` });
          expectWellFormed(response, `GET ${path}`);
        }),
        {
          numRuns: RUNS,
          examples: [
            [{ operation: 'listReadings', pairs: [['limit', '1'], ['limit', '2']], loose: false }],
            [{ operation: 'listReadings', pairs: [['cursor', realCursors[0] as string], ['cursor', realCursors[1] as string]], loose: false }],
            [{ operation: 'listHealthEntries', pairs: [['date', '2026-01-05'], ['date', '2026-01-06']], loose: false }],
          ],
        },
      );
    });
  });

  describe('health-log map keys', () => {
    /** Names Object.prototype also has, `__proto__` included: the ones plain-object code mistakes for its own. */
    const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
    const VALUES = { medications: '5mg', pain: '6-7', activities: 10 } as const;
    let day = 0;

    it('when a medication, pain location or activity has any name, it round-trips exactly (entry and summary) or is a 400 at its pointer', async () => {
      const name = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), weirdText, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
      const map = fc.constantFrom('medications', 'pain', 'activities') as fc.Arbitrary<keyof typeof VALUES>;
      await fc.assert(
        fc.asyncProperty(name, map, async (key, field) => {
          // A day of its own per run, so the day's summary holds exactly this entry.
          const date = new Date(Date.UTC(2020, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);
          const path = `/v1/health/entries/${date}/0800`;
          // A computed key is an own property, so JSON.stringify sends `__proto__` as a key like any other.
          const sent = { [field]: { [key]: VALUES[field] } };
          const what = `PUT ${path} with ${excerpt(JSON.stringify(sent))}`;
          const put = await send('PUT', path, { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, json(sent));
          expectWellFormed(put, what);
          if (put.status === 400) {
            const pointer = `/body/${field}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
            const pointers = (JSON.parse(put.text) as { errors: { pointer: string }[] }).errors.map((error) => error.pointer);
            expect({ what, pointers }).toEqual({ what, pointers: pointers.map(() => pointer) });
            return;
          }
          expect({ what, status: put.status }).toEqual({ what, status: 200 });
          const stored = await api.call('GET', path, { token: adminToken });
          expect({ what, keys: Object.keys(stored.body[field]), value: stored.body[field][key] }).toEqual({ what, keys: [key], value: VALUES[field] });
          const summary = await api.call('GET', `/v1/health/summaries/${date}`, { token: adminToken });
          const totals = field === 'medications' ? summary.body.medication_doses : field === 'activities' ? summary.body.activity_minutes : {};
          expect({ what, totals }).toEqual({ what, totals: field === 'pain' ? {} : { [key]: field === 'medications' ? 1 : VALUES.activities } });
        }),
        {
          // Three requests a run: fewer runs keep the file inside its time budget.
          numRuns: RUNS / 4,
          examples: [['__proto__', 'medications'], ['__proto__', 'pain'], ['constructor', 'medications'], ['constructor', 'pain'], ['constructor', 'activities'], ['toString', 'activities'], ['hasOwnProperty', 'medications'], ['valueOf', 'activities']],
        },
      );
    });
  });

  describe('cases fuzzing found, pinned', () => {
    /** A failure a client caused must be a 4xx problem, never a 5xx (which says "our fault, retry"). */
    function expectClientError(response: RawResponse, what: string): void {
      expectWellFormed(response, what);
      expect({ what, status: response.status, client_error: response.status >= 400 && response.status < 500 }).toEqual({
        what,
        status: response.status,
        client_error: true,
      });
    }

    it('when a path parameter is not percent-encoded UTF-8, it is a 400 problem pointing at the path', async () => {
      for (const path of ['/v1/users/%E0%A4%A/readings', '/v1/users/%C0%AF/readings', `/v1/users/${USER}/tokens/%FF`]) {
        const response = await send('GET', path, { authorization: `Bearer ${adminToken}` });
        expectClientError(response, `GET ${path}`);
        expect(JSON.parse(response.text)).toEqual(
          expect.objectContaining({ status: 400, errors: [{ pointer: '/path', message: expect.any(String) }] }),
        );
      }
    });

    it('when a body does not decompress as its Content-Encoding says, it is a 400 problem', async () => {
      const reading = json(VALID_BODIES['storeReadings']);
      for (const [encoding, body] of [
        ['gzip', Buffer.alloc(0)],
        ['gzip', gzipSync(reading).subarray(0, 12)],
        ['deflate', reading],
        ['br', reading],
      ] as const) {
        const headers = { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': 'application/json', 'content-encoding': encoding };
        const response = await send('POST', `/v1/users/${USER}/readings`, headers, body);
        expectClientError(response, `POST with Content-Encoding ${encoding} and ${body.length} bytes`);
        expect(JSON.parse(response.text)).toEqual(expect.objectContaining({ status: 400, type: 'urn:vitals:problem:malformedBody' }));
      }
    });

    it("when a field would make the stored item larger than DynamoDB's 400 KB item limit, it is a 4xx problem", async () => {
      const big = 'x'.repeat(450_000);
      const cases: [string, string, Json][] = [
        ['POST', `/v1/users/${USER}/readings`, { ...VALID_BODIES['storeReadings'], device_info: { device_id: 'g7', serial_number: big } }],
        ['POST', `/v1/users/${USER}/readings`, { ...VALID_BODIES['storeReadings'], source: big }],
        ['PUT', '/v1/health/entries/2026-02-01/0800', { ...VALID_BODIES['putHealthEntry'], note: big }],
      ];
      for (const [method, path, body] of cases) {
        const response = await send(method, path, { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': 'application/json' }, json(body));
        expectClientError(response, `${method} ${path} with a 450 000 character field`);
      }
    });

    it('when a health entry names a pain location or activity longer than a DynamoDB map key may be, it is a 4xx problem', async () => {
      const long = 'p'.repeat(70_000);
      for (const body of [{ pain: { [long]: '3' } }, { activities: { [long]: 10 } }]) {
        const response = await send(
          'PUT',
          '/v1/health/entries/2026-02-01/0900',
          { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': 'application/json' },
          json(body),
        );
        expectClientError(response, `PUT a health entry with a ${long.length} character ${Object.keys(body)[0]} name`);
      }
    });

    it('when a medication name is not well-formed Unicode (a lone surrogate), it is a 4xx problem', async () => {
      for (const medications of [{ '\ud800': '1 tablet' }, { ibuprofen: '400mg', 'para\udc00': '1g' }]) {
        const response = await send(
          'PUT',
          '/v1/health/entries/2026-02-01/1000',
          { authorization: `Bearer ${await tokenFor(USER)}`, 'content-type': 'application/json' },
          json({ medications }),
        );
        expectClientError(response, `PUT a health entry with medications ${JSON.stringify(medications)}`);
      }
    });
  });
});
