/**
 * Dexcom's documented request limit: 60,000 calls per app per hour, then
 * `429`. Counted per client id over a sliding hour of the simulator's clock;
 * a refused call does not count.
 */
export class HourlyRateLimit {
  readonly #calls = new Map<string, { times: number[]; head: number }>();

  constructor(
    private readonly now: () => number,
    private readonly limit: number,
    private readonly windowMs = 60 * 60_000,
  ) {}

  /** Counts a call of `clientId`: undefined when it may proceed, else the seconds until one may (for `Retry-After`). */
  hit(clientId: string): number | undefined {
    const now = this.now();
    let calls = this.#calls.get(clientId);
    if (!calls) {
      calls = { times: [], head: 0 };
      this.#calls.set(clientId, calls);
    }
    while (calls.head < calls.times.length && (calls.times[calls.head] ?? 0) <= now - this.windowMs) calls.head++;
    if (calls.head > 1024 && calls.head * 2 > calls.times.length) {
      calls.times.splice(0, calls.head);
      calls.head = 0;
    }
    const inWindow = calls.times.length - calls.head;
    if (inWindow >= this.limit) {
      const oldest = calls.times[calls.head] ?? now;
      return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    }
    calls.times.push(now);
    return undefined;
  }

  /** Calls of `clientId` in the current window. */
  used(clientId: string): number {
    const calls = this.#calls.get(clientId);
    if (!calls) return 0;
    const since = this.now() - this.windowMs;
    return calls.times.slice(calls.head).filter((time) => time > since).length;
  }

  reset(): void {
    this.#calls.clear();
  }
}
