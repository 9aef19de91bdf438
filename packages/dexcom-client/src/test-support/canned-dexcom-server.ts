import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body read as a form (empty unless it was one). */
  form: URLSearchParams;
}

/**
 * What to answer: a status with a JSON or text body and headers; `delayMs`
 * before the headers, `bodyDelayMs` between the headers and the body (a
 * slow body), or `breakOff` to send half a body and drop the connection.
 */
export interface CannedReply {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  bodyDelayMs?: number;
  breakOff?: boolean;
}

type Handler = CannedReply | ((request: ReceivedRequest) => CannedReply);

// Unref'd: a slow reply still pending when the server stops must not hold the test run open.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * A real HTTP server on loopback that answers Dexcom's paths with canned,
 * Dexcom-shaped replies a test sets per `METHOD /path`, and records every
 * request. Paths nobody set answer 404.
 */
export class CannedDexcomServer {
  readonly requests: ReceivedRequest[] = [];
  readonly #handlers = new Map<string, Handler>();

  private constructor(
    readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<CannedDexcomServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const instance = new CannedDexcomServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void instance.handle(request, response));
    return instance;
  }

  /** Answers `method path` with `reply` (or what `reply` returns for each request) until set again. */
  on(method: 'GET' | 'POST', path: string, reply: Handler): void {
    this.#handlers.set(`${method} ${path}`, reply);
  }

  /** Forgets the handlers and the recorded requests. */
  reset(): void {
    this.#handlers.clear();
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const received: ReceivedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
      form: new URLSearchParams(/application\/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '') ? body : ''),
    };
    this.requests.push(received);
    const handler = this.#handlers.get(`${received.method} ${received.path}`);
    const reply: CannedReply =
      handler === undefined ? { status: 404, json: { error: 'not_found' } } : typeof handler === 'function' ? handler(received) : handler;
    await this.send(response, reply);
  }

  private async send(response: ServerResponse, reply: CannedReply): Promise<void> {
    if (reply.delayMs !== undefined) await sleep(reply.delayMs);
    if (response.destroyed) return;
    const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
    const bytes = Buffer.from(text, 'utf8');
    response.writeHead(reply.status ?? 200, {
      'content-type': reply.json === undefined ? 'text/plain' : 'application/json',
      'content-length': String(bytes.length),
      ...reply.headers,
    });
    if (reply.breakOff === true) {
      // Once the headers and half the body are out, the connection goes.
      await new Promise<void>((resolve) => response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => resolve()));
      await sleep(20);
      response.socket?.destroy();
      return;
    }
    if (reply.bodyDelayMs !== undefined) {
      response.flushHeaders();
      await sleep(reply.bodyDelayMs);
      if (response.destroyed) return;
    }
    response.end(bytes);
  }
}
