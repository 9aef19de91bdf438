import { gzipSync } from 'node:zlib';
import { USER, json, type Json, type RawResponse } from '../test-support/fuzz-inputs.ts';
import { fuzzTarget } from '../test-support/fuzz-target.ts';

describe('fuzzing the API', () => {
  const { started, exampleOf, tokenFor, send, expectWellFormed } = fuzzTarget();
  let adminToken: string;
  beforeAll(() => {
    ({ adminToken } = started());
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
      const reading = json(exampleOf('storeReadings'));
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
        ['POST', `/v1/users/${USER}/readings`, { ...exampleOf('storeReadings'), device_info: { device_id: 'g7', serial_number: big } }],
        ['POST', `/v1/users/${USER}/readings`, { ...exampleOf('storeReadings'), source: big }],
        ['PUT', '/v1/health/entries/2026-02-01/0800', { ...exampleOf('putHealthEntry'), note: big }],
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
