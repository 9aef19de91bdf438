import { AccessTokenRepository } from '@vitals/repositories';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { Route } from '../routes/route.ts';
import { INVALID_HEADER_CHAR, RUNS, USER, anyText, excerpt, pathWith, percentEncode, UNRESERVED, validBody } from '../test-support/fuzz-inputs.ts';
import { fuzzTarget } from '../test-support/fuzz-target.ts';
import type { TestApi } from '../test-support/test-api.ts';

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

describe('fuzzing the API', () => {
  const { started, routeOf, send, expectWellFormed } = fuzzTarget();
  let api: TestApi;
  let routes: Route[];
  let live: string;
  beforeAll(async () => {
    ({ api, routes } = started());
    ({ token: live } = await api.container.get(AccessTokenRepository).create(USER, { name: 'fuzz', scopes: ['readings:read'] }));
  });

  describe('credentials', () => {
    it('when a route gets any bearer, api-secret or token value near an access token, or the sign-in exchange gets one in its path, it never answers 5xx and never lets it in', async () => {
      const guarded = routes.filter((route) => route.public !== true);
      const nearToken = fc.oneof(
        fc.array(fc.constantFrom(...BASE64URL), { minLength: 40, maxLength: 46 }).map((chars) => `vat_${chars.join('')}`),
        fc.tuple(fc.nat(), fc.constantFrom(...BASE64URL, '=', '.', '~', ' ')).map(([at, char]) => {
          const index = 4 + (at % 43);
          return `${live.slice(0, index)}${char === live[index] ? (char === 'A' ? 'B' : 'A') : char}${live.slice(index + 1)}`;
        }),
        fc.constantFrom(live.slice(0, -1), `${live}A`, live.toUpperCase(), live.replace('vat_', 'VAT_'), 'vat_', 'vat'),
        fc.stringMatching(/^[0-9a-fA-F]{38,42}$/),
        fc.constant(createHash('sha256').update(createHash('sha1').update(live).digest('hex')).digest('hex')),
        anyText,
      );
      const where = fc.constantFrom('bearer', 'api-secret', 'query', 'exchange');
      const cases = fc.record({ operation: fc.constantFrom(...guarded.map((route) => route.operationId)), value: nearToken, where });
      await fc.assert(
        fc.asyncProperty(cases, async ({ operation, value, where: form }) => {
          const route = routeOf(operation);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (form === 'exchange') {
            // Nightscout's sign-in exchange takes the credential in its path: only a live token or its SHA-1 gets a JWT.
            const exchangePath = `/api/v2/authorization/request/${percentEncode(value, UNRESERVED)}`;
            const exchanged = await send('GET', exchangePath, {}, undefined);
            expectWellFormed(exchanged, `GET ${exchangePath}`);
            // An empty or dot segment is no parameter: that path is another (unknown) route.
            if (!/^\.{0,2}$/.test(value)) expect({ form, value: excerpt(value), status: exchanged.status }).toEqual({ form, value: excerpt(value), status: 401 });
            return;
          }
          let path = pathWith(route, {});
          if (form === 'query') path += `?token=${percentEncode(value, UNRESERVED)}`;
          else if (INVALID_HEADER_CHAR.test(value) || value.trim() !== value || value === '') return;
          else if (form === 'bearer') headers['authorization'] = `Bearer ${value}`;
          else headers['api-secret'] = value;
          const body = validBody(route);
          const response = await send(route.method.toUpperCase(), path, headers, body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
          expectWellFormed(response, `${route.method.toUpperCase()} ${path} with ${form} ${excerpt(value)}`);
          // Only the live token's own forms may authenticate, and only as Bearer on these routes; none of these is one.
          expect({ form, value: excerpt(value), status: response.status }).toEqual({ form, value: excerpt(value), status: 401 });
        }),
        { numRuns: RUNS },
      );
    });
  });
});
