import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of DynamoDB Local that counts the requests
 * passing through by operation (`X-Amz-Target`, e.g. `Query`): what a code
 * path costs in DynamoDB requests, batches and pages included.
 */
export interface RequestCounter {
  /** Point a client here. */
  endpoint: string;
  /** Requests by operation since the last `take()`, and resets (the peaks too). */
  take(): Record<string, number>;
  /** The most requests of each operation in flight at once since the last `take()`. */
  peaks(): Record<string, number>;
  close(): Promise<void>;
}

export async function startRequestCounter(upstream: string): Promise<RequestCounter> {
  const target = new URL(upstream);
  let counts: Record<string, number> = {};
  let peaks: Record<string, number> = {};
  const inFlight: Record<string, number> = {};
  const server: Server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers['x-amz-target'] ?? 'unknown').split('.').pop() as string;
    counts[operation] = (counts[operation] ?? 0) + 1;
    inFlight[operation] = (inFlight[operation] ?? 0) + 1;
    peaks[operation] = Math.max(peaks[operation] ?? 0, inFlight[operation]);
    outgoing.once('close', () => {
      inFlight[operation] = (inFlight[operation] ?? 1) - 1;
    });
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const taken = counts;
      counts = {};
      peaks = {};
      return taken;
    },
    peaks: () => ({ ...peaks }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
