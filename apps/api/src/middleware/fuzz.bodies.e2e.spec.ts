import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import type { Route } from '../routes/route.ts';
import {
  INVALID_HEADER_CHAR,
  RUNS,
  USER,
  excerpt,
  nearValidBody,
  pathWith,
  validBody,
  type Json,
} from '../test-support/fuzz-inputs.ts';
import { fuzzTarget } from '../test-support/fuzz-target.ts';
import type { TestApi } from '../test-support/test-api.ts';

describe('fuzzing the API', () => {
  const { started, routeOf, tokenFor, send, expectWellFormed } = fuzzTarget();
  let api: TestApi;
  let routes: Route[];
  beforeAll(() => {
    ({ api, routes } = started());
  });

  describe('request bodies', () => {
    it('when a route taking a body gets any JSON value, near-valid objects included, it never answers 5xx', async () => {
      const bodyRoutes = routes.filter((route) => route.body !== undefined);
      expect(bodyRoutes.map((route) => route.operationId)).toEqual(
        expect.arrayContaining(['storeReadings', 'storeTokens', 'scheduleSyncJob', 'putHealthEntry']),
      );
      // The base every near-valid body mutates is the route's own example, and its schema accepts it.
      const refused = bodyRoutes.filter((route) => route.body?.safeParse(validBody(route)).success !== true).map((route) => route.operationId);
      expect(refused).toEqual([]);
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
});
