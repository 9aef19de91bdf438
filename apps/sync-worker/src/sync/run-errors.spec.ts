import { DexcomError } from '@vitals/dexcom-client';
import { VitalsError } from '@vitals/dynamodb-core';
import { REFRESH_TIMED_OUT, classifyRunError, type FailureSettings } from './run-errors.ts';
import { NoTokenSetError, RefreshTimedOutError } from './token-refresh.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const settings: FailureSettings = { now: NOW, retryAfterDefaultMs: 60_000, retryAfterMaxMs: 3_600_000, previousError: undefined };
const rateLimited = (retry_after_s?: number) =>
  new DexcomError('dexcom.rateLimited', 'Dexcom GET /v3/users/self/egvs answered 429', { status: 429, endpoint: 'GET /v3/users/self/egvs', retry_after_s });

describe('classifyRunError', () => {
  it('when Dexcom answers 429 with Retry-After, defers the job by exactly that long', () => {
    expect(classifyRunError(rateLimited(120), settings)).toEqual({
      action: 'defer',
      until: new Date(NOW.getTime() + 120_000),
      reason: expect.stringContaining('Retry-After 120 s'),
    });
  });

  it('when a 429 has no Retry-After, defers by the default; when it asks for more than the most, by the most', () => {
    expect(classifyRunError(rateLimited(), settings)).toMatchObject({ until: new Date(NOW.getTime() + 60_000) });
    expect(classifyRunError(rateLimited(86_400), settings)).toMatchObject({ until: new Date(NOW.getTime() + 3_600_000) });
  });

  it('when Dexcom is unavailable (5xx, network, timeout), fails the attempt so the backoff retries it', () => {
    const error = new DexcomError('dexcom.unavailable', 'Dexcom GET /v3/users/self/egvs answered 503', { status: 503, reason: 'status' });
    expect(classifyRunError(error, settings)).toEqual({ action: 'fail', error: 'Dexcom GET /v3/users/self/egvs answered 503' });
  });

  it('when the refresh token is refused, asks for reauthorization, saying access was revoked or expired', () => {
    const failure = classifyRunError(new DexcomError('dexcom.invalidGrant', 'refused', { status: 400 }), settings);
    expect(failure).toEqual({ action: 'reauthorize', error: expect.stringContaining('revoked') });
  });

  it('when the refresh token is refused after the previous attempt\'s refresh timed out, says that refresh most likely spent it', () => {
    const timedOut = classifyRunError(
      new RefreshTimedOutError(new DexcomError('dexcom.unavailable', 'did not answer', { reason: 'timeout' })),
      settings,
    );
    expect(timedOut).toMatchObject({ action: 'fail', error: expect.stringMatching(new RegExp(`^${REFRESH_TIMED_OUT}`)) });
    const refused = classifyRunError(new DexcomError('dexcom.invalidGrant', 'refused', { status: 400 }), {
      ...settings,
      previousError: (timedOut as { error: string }).error,
    });
    expect(refused).toEqual({ action: 'reauthorize', error: expect.stringContaining('timed out') });
    expect((refused as { error: string }).error).not.toContain('revoked or has expired');
  });

  it('when the lease is gone (conflict, cancelled, deleted), writes nothing more for the job', () => {
    const conflict = new VitalsError('repository.conflict', 'is leased to another worker', {
      entity: 'SyncJob',
      key: { job_id: 'x' },
    } as never);
    expect(classifyRunError(conflict, settings)).toMatchObject({ action: 'lost' });
  });

  it('when the token set is gone, cancels the job', () => {
    expect(classifyRunError(new NoTokenSetError('no token set'), settings)).toMatchObject({ action: 'cancel' });
  });
});
