import type { FetchLike } from '@vitals/dexcom-client';
import type { WorkerMetrics } from './worker-metrics.ts';

/** Dexcom paths as metric labels; anything else is `other`, so no id or query becomes a label. */
const ENDPOINTS: Readonly<Record<string, string>> = {
  '/v2/oauth2/token': 'token',
  '/v3/users/self/egvs': 'egvs',
  '/v3/users/self/dataRange': 'dataRange',
};

/**
 * The global `fetch`, counting each Dexcom request by endpoint and status and
 * timing it until the answer's headers. It sees URLs and statuses only:
 * never a header or a body, so no token reaches a metric.
 */
export function instrumentedFetch(metrics: WorkerMetrics, next: FetchLike = (input, init) => fetch(input, init)): FetchLike {
  return async (input, init) => {
    const endpoint = ENDPOINTS[new URL(String(input)).pathname] ?? 'other';
    const stop = metrics.dexcomLatency.startTimer({ endpoint });
    try {
      const response = await next(input, init);
      metrics.dexcomRequests.inc({ endpoint, status: String(response.status) });
      return response;
    } catch (error) {
      // Not `instanceof Error`: an abort's DOMException may come from another realm.
      const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
      metrics.dexcomRequests.inc({ endpoint, status: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' });
      throw error;
    } finally {
      stop();
    }
  };
}
