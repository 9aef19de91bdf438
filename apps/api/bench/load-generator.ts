/*
 * Child process of api.bench.ts (see load.ts): runs one autocannon load per
 * message and answers with its counts and every response time.
 */
import autocannon from 'autocannon';
import type { LoadRequest, LoadResult } from './load.ts';

process.on('message', (request: LoadRequest) => {
  const latencies: number[] = [];
  const instance = autocannon(
    { url: request.url, connections: request.connections, duration: request.duration, headers: request.headers },
    (error: unknown, result) => {
      if (error !== null && error !== undefined) {
        process.send?.({ id: request.id, error: error instanceof Error ? error.message : String(error) });
        return;
      }
      const reply: LoadResult = {
        id: request.id,
        requests: result.requests.total,
        duration_s: result.duration,
        requests_per_s_mean: result.requests.mean,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencies_ms: latencies,
      };
      process.send?.(reply);
    },
  );
  instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
});

process.once('SIGTERM', () => process.exit(0));
process.once('disconnect', () => process.exit(0));
