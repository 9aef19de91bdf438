import { SYNC_JOB_RETRY_MAX_MS, syncJobRetryDelayMs } from './sync-job.backoff.ts';

describe(syncJobRetryDelayMs.name, () => {
  it('when attempts grow, doubles from one minute', () => {
    expect([1, 2, 3, 4, 5].map(syncJobRetryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
  });

  it('when doubling would pass one hour, waits one hour', () => {
    expect(syncJobRetryDelayMs(7)).toBe(SYNC_JOB_RETRY_MAX_MS);
    expect(syncJobRetryDelayMs(100)).toBe(SYNC_JOB_RETRY_MAX_MS);
  });

  it.each([0, -1, 1.5, Number.NaN])('when attempts is %s, throws', (attempts) => {
    expect(() => syncJobRetryDelayMs(attempts)).toThrow(RangeError);
  });
});
