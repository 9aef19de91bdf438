import { DexcomClient } from './dexcom-client.ts';
import { DexcomError } from './dexcom-error.ts';
import { egvWindows } from './dexcom-time.ts';
import { egvsToReadingInputs } from './egv-to-reading.ts';
import { CannedDexcomServer } from './test-support/canned-dexcom-server.ts';
import { SECRETS, clientConfig, dataRangeBody, egvRecord, egvsBody } from './test-support/dexcom-fixtures.ts';

const EGVS = '/v3/users/self/egvs';
const DATA_RANGE = '/v3/users/self/dataRange';

async function rejectionOf(promise: Promise<unknown>): Promise<DexcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

describe('DexcomClient (data) against a server on loopback', () => {
  let server: CannedDexcomServer;
  let client: DexcomClient;
  beforeAll(async () => {
    server = await CannedDexcomServer.start();
    client = new DexcomClient(clientConfig(server.url));
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
  });

  describe('.egvs', () => {
    it('when asked for a window, sends the bearer token and the window in UTC YYYY-MM-DDThh:mm:ss, and answers the records', async () => {
      server.on('GET', EGVS, { json: egvsBody([egvRecord({ recordId: 'a' }), egvRecord({ recordId: 'b', systemTime: '2026-04-30T15:05:00' })]) });
      const result = await client.egvs(SECRETS.accessToken, { start: '2026-04-30T16:00:00.900+02:00', end: new Date('2026-04-30T15:30:00.100Z') });
      expect(result).toMatchObject({
        userId: '079a528d-7cf7-d4b4-7704-1efbd08f921d',
        recordType: 'egv',
        recordVersion: '3.0',
        window: { start: '2026-04-30T14:00:00.000Z', end: '2026-04-30T15:30:01.000Z' },
        invalid: [],
      });
      expect(result.records.map((record) => record.recordId)).toEqual(['a', 'b']);
      const [request] = server.requests;
      expect(request?.headers['authorization']).toBe(`Bearer ${SECRETS.accessToken}`);
      expect(Object.fromEntries(request?.query ?? [])).toEqual({ startDate: '2026-04-30T14:00:00', endDate: '2026-04-30T15:30:01' });
    });

    it('when the window is longer than 30 days, throws dexcom.invalidArgument before any call', async () => {
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, { start: '2026-01-01T00:00:00Z', end: '2026-01-31T00:00:01Z' }));
      expect(error).toMatchObject({ code: 'dexcom.invalidArgument', endpoint: 'GET /v3/users/self/egvs', details: { max_days: 30 } });
      expect(server.requests).toEqual([]);
    });

    it('when a 90-day window is split with egvWindows, each request is at most 30 days and the requests cover it', async () => {
      server.on('GET', EGVS, { json: egvsBody([]) });
      for (const window of egvWindows('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')) await client.egvs(SECRETS.accessToken, window);
      expect(server.requests.map((request) => [request.query.get('startDate'), request.query.get('endDate')])).toEqual([
        ['2026-01-01T00:00:00', '2026-01-31T00:00:00'],
        ['2026-01-31T00:00:00', '2026-03-02T00:00:00'],
        ['2026-03-02T00:00:00', '2026-04-01T00:00:00'],
      ]);
    });

    it('when some records are malformed, answers the others and reports each bad one; none of them is fatal', async () => {
      server.on('GET', EGVS, {
        json: egvsBody([
          egvRecord({ recordId: 'ok-1' }),
          egvRecord({ recordId: 'bad-value', value: '138' }),
          'not a record',
          egvRecord({ recordId: 'bad-time', systemTime: '2026-02-30T00:00:00' }),
          egvRecord({ recordId: 'ok-2', systemTime: '2026-04-30T15:05:00' }),
        ]),
      });
      const { records, invalid } = await client.egvs(SECRETS.accessToken, { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' });
      expect(records.map((record) => record.recordId)).toEqual(['ok-1', 'ok-2']);
      expect(invalid.map(({ index, record_id }) => [index, record_id])).toEqual([
        [1, 'bad-value'],
        [2, undefined],
        [3, 'bad-time'],
      ]);
      expect(egvsToReadingInputs(records).inputs).toHaveLength(2);
    });

    it('when the answer has no records, answers none', async () => {
      server.on('GET', EGVS, { json: egvsBody([]) });
      expect(await client.egvs(SECRETS.accessToken, { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' })).toMatchObject({ records: [], invalid: [] });
    });

    it.each([
      ['records is not an array', { status: 200, json: { ...egvsBody([]), records: 'none' } }, 'dexcom.badResponse'],
      ['the body is not JSON', { status: 200, text: '<html>maintenance</html>' }, 'dexcom.badResponse'],
      ['401 (the access token expired)', { status: 401, json: { fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } } } }, 'dexcom.unauthorized'],
      ['403', { status: 403, text: '' }, 'dexcom.unauthorized'],
      ['400', { status: 400, json: { error: 'bad_request' } }, 'dexcom.badRequest'],
      ['404', { status: 404, text: 'Not Found' }, 'dexcom.badRequest'],
    ])('when %s, throws %s with the status and endpoint', async (_name, reply, code) => {
      server.on('GET', EGVS, reply);
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' }));
      expect(error).toMatchObject({ code, status: reply.status, endpoint: 'GET /v3/users/self/egvs' });
    });

    it("when the access token expired, the error carries the gateway's error code", async () => {
      server.on('GET', EGVS, { status: 401, json: { fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } } } });
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' }));
      expect(error.dexcom_error).toBe('keymanagement.service.access_token_expired');
      expect(error.message).toBe(
        'Dexcom GET /v3/users/self/egvs answered 401 keymanagement.service.access_token_expired (refused the access token (expired or invalid)): Access Token expired',
      );
    });
  });

  describe('.dataRange', () => {
    it('when asked without lastSyncTime, sends no query and answers the windows', async () => {
      server.on('GET', DATA_RANGE, { json: dataRangeBody('2026-01-01T00:00:00', '2026-04-30T15:00:00') });
      const range = await client.dataRange(SECRETS.accessToken);
      expect(range.egvs).toEqual({
        start: { systemTime: '2026-01-01T00:00:00', displayTime: '2026-01-01T00:00:00' },
        end: { systemTime: '2026-04-30T15:00:00', displayTime: '2026-04-30T15:00:00' },
      });
      expect([...(server.requests[0]?.query ?? [])]).toEqual([]);
      expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${SECRETS.accessToken}`);
    });

    it('when given lastSyncTime, sends it in UTC YYYY-MM-DDThh:mm:ss', async () => {
      server.on('GET', DATA_RANGE, { json: dataRangeBody('2026-01-01T00:00:00', '2026-04-30T15:00:00') });
      await client.dataRange(SECRETS.accessToken, '2026-04-30T19:00:00.5+02:00');
      expect(server.requests[0]?.query.get('lastSyncTime')).toBe('2026-04-30T17:00:00');
    });

    it('when the user has no EGVs (a null window), answers egvs null', async () => {
      server.on('GET', DATA_RANGE, { json: { ...dataRangeBody('2026-01-01T00:00:00', '2026-01-02T00:00:00'), egvs: null } });
      expect((await client.dataRange(SECRETS.accessToken)).egvs).toBeNull();
    });

    it('when the answer is of another shape, throws dexcom.badResponse listing the issues', async () => {
      server.on('GET', DATA_RANGE, { json: { recordType: 'dataRange' } });
      const error = await rejectionOf(client.dataRange(SECRETS.accessToken));
      expect(error).toMatchObject({ code: 'dexcom.badResponse', endpoint: 'GET /v3/users/self/dataRange' });
      expect(error.details['issues']).toEqual(expect.arrayContaining([expect.stringMatching(/^userId: /)]));
    });
  });
});
