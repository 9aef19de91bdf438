import { DEFAULT_RETRY_POLICY, backoffDelayMs, retryPolicy, sleep, type RetryPolicy } from './retry-policy.ts';

const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
const almostOne = () => 0.999_999_999;

describe(backoffDelayMs.name, () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [12, 1_000],
  ])('when it is retry %d, stays within [0, %d]', (retry, ceiling) => {
    expect(backoffDelayMs(retry, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(retry, policy, almostOne)).toBe(ceiling - 1);
    expect(backoffDelayMs(retry, policy, () => 0.5)).toBe(ceiling / 2);
  });

  it('when the random source varies, every delay is a whole number of milliseconds within the ceiling', () => {
    const samples = Array.from({ length: 200 }, (_, index) => backoffDelayMs(3, policy, () => index / 200));
    for (const delay of samples) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(400);
    }
    expect(new Set(samples).size).toBeGreaterThan(100);
  });

  it('when no random source is given, uses Math.random', () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(backoffDelayMs(2, policy)).toBe(50);
      expect(random).toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });
});

describe(retryPolicy.name, () => {
  it('when nothing is overridden, returns the defaults (10 attempts, 25 ms base, 2 s cap)', () => {
    expect(retryPolicy()).toEqual({ maxAttempts: 10, baseDelayMs: 25, maxDelayMs: 2_000 });
    expect(retryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('when some fields are overridden, keeps the defaults for the others', () => {
    expect(retryPolicy({ maxAttempts: 3, baseDelayMs: 1 })).toEqual({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2_000 });
  });

  it('when maxAttempts is 1, accepts it (one request, no retry)', () => {
    expect(retryPolicy({ maxAttempts: 1 }).maxAttempts).toBe(1);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('when maxAttempts is %p, throws a RangeError', (maxAttempts) => {
    expect(() => retryPolicy({ maxAttempts })).toThrow(RangeError);
  });

  it.each(['maxAttempts', 'baseDelayMs', 'maxDelayMs'] as const)(
    'when %s is passed as undefined, keeps its default',
    (field) => {
      expect(retryPolicy({ [field]: undefined })[field]).toBe(DEFAULT_RETRY_POLICY[field]);
    },
  );

  it('does not let callers change the defaults', () => {
    const policy = retryPolicy();
    policy.maxAttempts = 1;
    expect(retryPolicy().maxAttempts).toBe(10);
  });
});

describe(sleep.name, () => {
  it.each([0, -5])('when the delay is %d ms, resolves without a timer', async (ms) => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    try {
      await sleep(ms);
      expect(setTimeoutSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });

  it('when the delay is positive, resolves only once that time has passed', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      const waiting = sleep(100).then(() => {
        done = true;
      });
      await jest.advanceTimersByTimeAsync(99);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
