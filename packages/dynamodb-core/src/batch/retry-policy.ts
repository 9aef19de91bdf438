/** How long a batch keeps retrying what DynamoDB left unprocessed or throttled. */
export interface RetryPolicy {
  /** Requests per chunk, the first included. Default 10. */
  maxAttempts: number;
  /** First backoff ceiling; doubles per attempt. Default 25 ms. */
  baseDelayMs: number;
  /** Largest backoff ceiling. Default 2,000 ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 10,
  baseDelayMs: 25,
  maxDelayMs: 2_000,
});

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  // An option passed as `undefined` keeps its default rather than erasing it.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...given };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  return policy;
}

/**
 * Exponential backoff with full jitter: a uniform delay in
 * [0, min(maxDelayMs, baseDelayMs × 2^(retry-1))] before retry number `retry` (1-based).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
