import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from '../metrics/worker-metrics.ts';

export interface HealthServer {
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  /** True while the worker's loop runs and claims; false once it is stopping. */
  healthy: () => boolean;
  metrics: WorkerMetrics;
}

/**
 * The worker's only HTTP surface: `GET /healthz` (200 `{"status":"ok"}` while
 * the loop runs, 503 `{"status":"stopping"}` once it stops claiming) and
 * `GET /metrics` (Prometheus text format). Anything else is 404, another
 * method 405. No request is logged and nothing here reads a body.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const known = path === '/healthz' || path === '/metrics';
    if (known && request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      const healthy = options.healthy();
      response
        .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ status: healthy ? 'ok' : 'stopping' }));
      return;
    }
    if (path === '/metrics') {
      options.metrics.exposition().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.keepAliveTimeout = 5_000;
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
