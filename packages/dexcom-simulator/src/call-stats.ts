import type { DexcomEndpoint } from './faults.ts';

/** One Dexcom-path request the simulator answered. Never holds a token or a secret. */
export interface CallRecord {
  /** Simulator time, ISO 8601. */
  at: string;
  endpoint: DexcomEndpoint | 'unknown';
  method: string;
  path: string;
  status: number;
  clientId?: string;
  login?: string;
  /** Token calls: the grant type. */
  grantType?: string;
  /** egvs calls: the window asked for, as sent. */
  startDate?: string;
  endDate?: string;
  /** egvs calls: records in the answer, malformed ones included. */
  records?: number;
}

/** Calls per endpoint and status, e.g. `{ egvs: { 200: 3, 429: 1 }, token: { 200: 2 } }`. */
export type CallCounts = Partial<Record<DexcomEndpoint | 'unknown', Record<number, number>>>;

const LOG_LIMIT = 100_000;

/** What the Dexcom paths were asked and what they answered, for tests to count. */
export class CallStats {
  #counts: CallCounts = {};
  #log: CallRecord[] = [];

  record(call: CallRecord): void {
    const byStatus = (this.#counts[call.endpoint] ??= {});
    byStatus[call.status] = (byStatus[call.status] ?? 0) + 1;
    this.#log.push(call);
    if (this.#log.length > LOG_LIMIT) this.#log.splice(0, this.#log.length - LOG_LIMIT);
  }

  /** How many calls, optionally of one endpoint and/or with one status. */
  count(endpoint?: DexcomEndpoint | 'unknown', status?: number): number {
    let total = 0;
    for (const [name, byStatus] of Object.entries(this.#counts)) {
      if (endpoint !== undefined && name !== endpoint) continue;
      for (const [code, count] of Object.entries(byStatus ?? {})) if (status === undefined || Number(code) === status) total += count;
    }
    return total;
  }

  counts(): CallCounts {
    return structuredClone(this.#counts);
  }

  /** The calls in order (the last 100,000). */
  log(): CallRecord[] {
    return this.#log.map((call) => ({ ...call }));
  }

  reset(): void {
    this.#counts = {};
    this.#log = [];
  }
}
