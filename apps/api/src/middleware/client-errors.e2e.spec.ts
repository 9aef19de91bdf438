import { connect } from 'node:net';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';

/** Timeouts short enough to test, long enough not to trip on a busy machine. */
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
/** No answer within this is a hang, whatever the cause. */
const HANG_MS = 15_000;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown> | string;
  elapsedMs: number;
}

/**
 * Writes `request` as raw bytes to the API on loopback and reads until the
 * server closes the connection: what a client sees of errors Node's HTTP
 * layer raises before Express. Fails if the connection stays open past HANG_MS.
 */
function rawExchange(api: TestApi, request: string | Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(request));
    const hang = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${HANG_MS} ms; got so far: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
    }, HANG_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer changes nothing here
    socket.on('close', () => {
      clearTimeout(hang);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const bodyText = rest.join('\r\n\r\n');
      let body: RawAnswer['body'] = bodyText;
      try {
        body = JSON.parse(bodyText) as Record<string, unknown>;
      } catch {
        // not JSON: the assertion on it says so
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, elapsedMs: performance.now() - started });
    });
  });
}

function expectRawProblem(answer: RawAnswer, status: number, kind: string): void {
  expect({ status: answer.status, type: (answer.body as Record<string, unknown>)['type'] }).toEqual({ status, type: `urn:vitals:problem:${kind}` });
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.headers['connection']).toBe('close');
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), request_id: answer.headers['x-request-id'] });
  expect(answer.headers['x-request-id']).toMatch(/\S/);
}

describe('errors Node raises before Express, over raw sockets', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('when the headers are larger than Node accepts, answers 431 problem+json', async () => {
    const answer = await rawExchange(api, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectRawProblem(answer, 431, 'headersTooLarge');
  });

  it.each([
    ['is not a number', 'Content-Length: abc\r\n'],
    ['is given twice with different values', 'Content-Length: 2\r\nContent-Length: 3\r\n'],
  ])('when Content-Length %s, answers 400 problem+json', async (_label, lengths) => {
    const answer = await rawExchange(api, `POST /v1/users/a/readings HTTP/1.1\r\nHost: x\r\n${lengths}\r\n{}`);
    expectRawProblem(answer, 400, 'badRequest');
    expect((answer.body as Record<string, unknown>)['detail']).toMatch(/Content-Length/);
  });

  it('when both Content-Length and Transfer-Encoding are sent, answers 400 problem+json naming both', async () => {
    const answer = await rawExchange(
      api,
      'POST /v1/users/a/readings HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expectRawProblem(answer, 400, 'badRequest');
    expect((answer.body as Record<string, unknown>)['detail']).toMatch(/Content-Length and Transfer-Encoding/);
  });

  it('when the method is one Node does not know, answers 501 problem+json', async () => {
    expectRawProblem(await rawExchange(api, 'FROBNICATE /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), 501, 'notImplemented');
  });

  it('when the bytes are not HTTP at all, answers 400 problem+json', async () => {
    expectRawProblem(await rawExchange(api, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03])), 400, 'badRequest');
  });

  it('when a body is declared and never sent, answers 408 problem+json after the request timeout', async () => {
    const answer = await rawExchange(
      api,
      'POST /v1/users/a/readings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n',
    );
    expectRawProblem(answer, 408, 'requestTimeout');
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
  });

  it('when the headers never end, answers 408 problem+json after the headers timeout', async () => {
    const answer = await rawExchange(api, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n');
    expectRawProblem(answer, 408, 'requestTimeout');
  });

  it('when a request is well formed, still answers it on the same kind of raw connection', async () => {
    const answer = await rawExchange(api, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect([answer.status, answer.body]).toEqual([200, { status: 'ok' }]);
  });
});
