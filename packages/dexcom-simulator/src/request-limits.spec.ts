import { manualClock } from './clock.ts';
import { FaultQueue } from './faults.ts';
import { HourlyRateLimit } from './hourly-rate-limit.ts';

describe('HourlyRateLimit', () => {
  it('allows the limit per sliding hour per client, then says how long to wait', () => {
    const clock = manualClock(0);
    const limit = new HourlyRateLimit(clock.now, 3);
    expect([limit.hit('a'), limit.hit('a')]).toEqual([undefined, undefined]);
    clock.advance(10 * 60_000);
    expect(limit.hit('a')).toBeUndefined();
    expect(limit.hit('a')).toBe(50 * 60);
    expect(limit.hit('b')).toBeUndefined();
    expect(limit.used('a')).toBe(3);
    // At 60 minutes the two calls made at 0 leave the window: two more fit.
    clock.advance(50 * 60_000);
    expect([limit.hit('a'), limit.hit('a')]).toEqual([undefined, undefined]);
    expect(limit.hit('a')).toBe(10 * 60);
  });
});

describe('FaultQueue', () => {
  const egvs = { endpoint: 'egvs' as const, login: 'demo' };

  it('applies a fault to one matching request by default, or `times` of them', () => {
    const faults = new FaultQueue(() => 0);
    faults.add({ kind: 'serverError' });
    faults.add({ kind: 'rateLimit', endpoint: 'token', times: 2 });
    expect(faults.take('rateLimit', egvs)).toBeUndefined();
    expect(faults.take('serverError', egvs)).toEqual({ kind: 'serverError' });
    expect(faults.take('serverError', egvs)).toBeUndefined();
    expect(faults.take('rateLimit', { endpoint: 'token' })).toMatchObject({ times: 2 });
    expect(faults.take('rateLimit', { endpoint: 'token' })).toMatchObject({ times: 2 });
    expect(faults.take('rateLimit', { endpoint: 'token' })).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('applies a fault for a period of the simulator clock, to the login it names', () => {
    const clock = manualClock(0);
    const faults = new FaultQueue(clock.now);
    faults.add({ kind: 'slow', delayMs: 10, forMs: 60_000, login: 'demo' });
    expect(faults.take('slow', { endpoint: 'egvs', login: 'other' })).toBeUndefined();
    expect(faults.take('slow', egvs)).toBeDefined();
    expect(faults.take('slow', egvs)).toBeDefined();
    clock.advance(60_000);
    expect(faults.take('slow', egvs)).toBeUndefined();
  });

  it('refuses nonsense counts', () => {
    const faults = new FaultQueue(() => 0);
    expect(() => faults.add({ kind: 'serverError', times: 0 })).toThrow('times must be a positive integer');
    expect(() => faults.add({ kind: 'serverError', forMs: -1 })).toThrow('forMs must be a positive number');
  });
});
