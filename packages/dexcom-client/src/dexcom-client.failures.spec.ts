import { DexcomClient } from './dexcom-client.ts';
import { DexcomError } from './dexcom-error.ts';
import { retryAfterSeconds } from './dexcom-http.ts';
import { CannedDexcomServer } from './test-support/canned-dexcom-server.ts';
import { SECRETS, clientConfig, egvRecord, egvsBody, tokenBody } from './test-support/dexcom-fixtures.ts';

const EGVS = '/v3/users/self/egvs';
const TOKEN = '/v2/oauth2/token';
const WINDOW = { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' };
const NOW = new Date('2026-05-01T10:00:00.000Z');

async function rejectionOf(promise: Promise<unknown>): Promise<DexcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

describe('DexcomClient failures against a server on loopback', () => {
  let server: CannedDexcomServer;
  let client: DexcomClient;
  /** Gives up after 300 ms; the slow replies take 3 s, so a busy machine cannot blur the two. */
  let hurried: DexcomClient;
  beforeAll(async () => {
    server = await CannedDexcomServer.start();
    client = new DexcomClient(clientConfig(server.url, { timeoutMs: 5_000 }), { now: () => NOW });
    hurried = new DexcomClient(clientConfig(server.url, { timeoutMs: 300 }));
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
  });

  describe('rate limits', () => {
    it('when Dexcom answers 429 with Retry-After in seconds, throws dexcom.rateLimited with retry_after_s', async () => {
      server.on('GET', EGVS, { status: 429, headers: { 'retry-after': '120' }, text: 'Too Many Requests' });
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, WINDOW));
      expect(error).toMatchObject({ code: 'dexcom.rateLimited', status: 429, retry_after_s: 120, endpoint: 'GET /v3/users/self/egvs' });
      expect(error.retryable).toBe(true);
    });

    it('when Retry-After is an HTTP-date, retry_after_s counts from the client clock', async () => {
      server.on('POST', TOKEN, { status: 429, headers: { 'retry-after': 'Fri, 01 May 2026 10:01:30 GMT' } });
      expect((await rejectionOf(client.refresh(SECRETS.refreshToken))).retry_after_s).toBe(90);
    });

    it('when a 429 has no Retry-After, retry_after_s is absent', async () => {
      server.on('GET', EGVS, { status: 429 });
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, WINDOW));
      expect(error.code).toBe('dexcom.rateLimited');
      expect(error.retry_after_s).toBeUndefined();
    });
  });

  describe('server errors', () => {
    it.each([500, 502, 504])('when Dexcom answers %d, throws dexcom.unavailable for the status', async (status) => {
      server.on('GET', EGVS, { status, text: 'upstream error' });
      const error = await rejectionOf(client.egvs(SECRETS.accessToken, WINDOW));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'status', status });
      expect(error.retryable).toBe(true);
    });

    it('when a 503 says when to come back, keeps its Retry-After', async () => {
      server.on('POST', TOKEN, { status: 503, headers: { 'retry-after': '30' }, json: { error: 'temporarily_unavailable' } });
      expect(await rejectionOf(client.exchangeCode(SECRETS.code))).toMatchObject({ code: 'dexcom.unavailable', retry_after_s: 30, dexcom_error: 'temporarily_unavailable' });
    });
  });

  describe('slow and broken answers', () => {
    it('when the headers come later than timeoutMs, throws dexcom.unavailable for a timeout', async () => {
      server.on('GET', EGVS, { delayMs: 3_000, json: egvsBody([]) });
      const started = Date.now();
      const error = await rejectionOf(hurried.egvs(SECRETS.accessToken, WINDOW));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'timeout', endpoint: 'GET /v3/users/self/egvs' });
      expect(error.status).toBeUndefined();
      expect(error.message).toBe('Dexcom GET /v3/users/self/egvs did not answer within 300 ms');
      expect(Date.now() - started).toBeLessThan(2_500);
    });

    it('when the headers come in time but the body does not, the timeout still holds', async () => {
      server.on('POST', TOKEN, { bodyDelayMs: 3_000, json: tokenBody() });
      const error = await rejectionOf(hurried.refresh(SECRETS.refreshToken));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'timeout', status: 200 });
      expect(error.message).toBe('Dexcom POST /v2/oauth2/token answered 200, but its body did not arrive within 300 ms');
    });

    it('when the connection drops in the middle of the body, throws dexcom.unavailable for the network', async () => {
      server.on('GET', EGVS, { json: egvsBody([egvRecord(), egvRecord()]), breakOff: true });
      expect(await rejectionOf(client.egvs(SECRETS.accessToken, WINDOW))).toMatchObject({ code: 'dexcom.unavailable', reason: 'network', status: 200 });
    });

    it('when nothing listens on the port, throws dexcom.unavailable for the network with its code', async () => {
      const gone = await CannedDexcomServer.start();
      await gone.stop();
      const error = await rejectionOf(new DexcomClient(clientConfig(gone.url)).dataRange(SECRETS.accessToken));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'network', details: { network_code: 'ECONNREFUSED' } });
      expect(error.message).toBe('Dexcom GET /v3/users/self/dataRange could not be reached (ECONNREFUSED)');
    });
  });

  describe('edge cases only an injected fetch can produce', () => {
    it("when fetch fails with an error that repeats the request, the DexcomError keeps neither it nor its cause", async () => {
      const leaky = new TypeError(`fetch failed for ${SECRETS.clientSecret}`, {
        cause: Object.assign(new Error(`socket hang up; body=${SECRETS.refreshToken}`), { code: 'ECONNRESET' }),
      });
      const injected = new DexcomClient(clientConfig('https://api.dexcom.com'), { fetch: () => Promise.reject(leaky) });
      const error = await rejectionOf(injected.refresh(SECRETS.refreshToken));
      expect(error).toMatchObject({ code: 'dexcom.unavailable', reason: 'network', details: { network_code: 'ECONNRESET' } });
      expect(error.cause).toBeUndefined();
      expect(`${error.message}${error.stack}`).not.toMatch(/client-secret|refresh-token/);
    });
  });
});

describe('.retryAfterSeconds', () => {
  it.each([
    [null, undefined],
    ['0', 0],
    [' 17 ', 17],
    ['Fri, 01 May 2026 10:00:05 GMT', 5],
    ['Fri, 01 May 2026 09:00:00 GMT', 0],
    ['-5', undefined],
    ['soon', undefined],
  ])('when the header is %p, answers %p', (header, expected) => {
    expect(retryAfterSeconds(header, NOW)).toBe(expected);
  });
});
