import fc from 'fast-check';
import type { Route } from '../routes/route.ts';
import {
  LOOSE_PATH,
  LOOSE_QUERY,
  RUNS,
  UNRESERVED,
  USER,
  VALID_PATH_VALUES,
  anyText,
  instantish,
  pathWith,
  percentEncode,
  validBody,
} from '../test-support/fuzz-inputs.ts';
import { fuzzTarget, type FuzzServer } from '../test-support/fuzz-target.ts';

describe('fuzzing the API', () => {
  const { started, routeOf, tokenFor, send, expectWellFormed, cursor } = fuzzTarget();
  let routes: Route[];
  let document: FuzzServer['document'];
  let realCursors: string[];
  let adminToken: string;
  beforeAll(() => {
    ({ routes, document, realCursors, adminToken } = started());
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
        // Nightscout bounds: beyond what an instant can be, the edges of the stored range, a count beyond the cap.
        fc.constantFrom('9999999999999999', '253402300799999', '253402300800000', '8640000000000001', '0000000000000000', '10001', '9999-12-31T23:59:59.999Z', '0000-01-01T00:00:00Z', 'sgv', 'mbg'),
      );
      const cases = fc.constantFrom(...queryRoutes).chain((route) =>
        fc.record({
          operation: fc.constant(route.operationId),
          // A route may know no key at all (the Nightscout probes ignore every one): then any text only.
          pairs: fc.array(fc.tuple(knownKeys(route).length === 0 ? anyText : fc.oneof(fc.constantFrom(...knownKeys(route)), anyText), value), { maxLength: 6 }),
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
            [{ operation: 'nightscoutEntriesJson', pairs: [['find[date][$lte]', '9999999999999999']], loose: false }],
            [{ operation: 'nightscoutEntriesJson', pairs: [['find[date][$gt]', '253402300799999'], ['count', '10001']], loose: false }],
            [{ operation: 'nightscoutEntries', pairs: [['find[dateString][$lt]', '0000-01-01T00:00:00Z'], ['count', '1'], ['count', '2']], loose: false }],
            [{ operation: 'nightscoutCurrentEntryJson', pairs: [['find[dateString][$gt]', '9999-12-31T23:59:59.999Z']], loose: false }],
          ],
        },
      );
    });
  });
});
