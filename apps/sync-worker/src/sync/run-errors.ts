import { DexcomError } from '@vitals/dexcom-client';
import { VitalsError } from '@vitals/dynamodb-core';
import { NoTokenSetError, RefreshTimedOutError, RefreshWaitError } from './token-refresh.ts';

/** What `last_error` of an attempt whose token refresh timed out starts with, so the next attempt can tell. */
export const REFRESH_TIMED_OUT = 'token refresh timed out';

/** What a run does with the error that ended it. */
export type RunFailure =
  /** 429: back to pending at `until`, the attempt not counted. */
  | { action: 'defer'; until: Date; reason: string }
  /** Retry with the jobs' backoff (or fail for good after the last attempt). */
  | { action: 'fail'; error: string }
  /** The refresh token was refused: the person must connect again; nothing more is scheduled. */
  | { action: 'reauthorize'; error: string }
  /** The token set is gone (disconnected meanwhile): nothing to sync. */
  | { action: 'cancel'; error: string }
  /** The lease is no longer this worker's (expired and claimed, or the job cancelled): write nothing. */
  | { action: 'lost'; error: string };

export interface FailureSettings {
  now: Date;
  retryAfterDefaultMs: number;
  retryAfterMaxMs: number;
  /** The `last_error` the job carried when claimed: the previous attempt's. */
  previousError: string | undefined;
}

/**
 * Decides what the error that ended a run means for the job and the
 * connection. Every text it makes comes from codes, statuses and endpoints
 * (a `DexcomError`'s message is free of secrets by construction), never
 * from a token.
 */
export function classifyRunError(error: unknown, settings: FailureSettings): RunFailure {
  if (error instanceof RefreshTimedOutError) {
    return {
      action: 'fail',
      error: `${REFRESH_TIMED_OUT}: Dexcom did not answer within the timeout and may still have spent the refresh token; if the next attempt's refresh is refused (invalid_grant), the person must connect again`,
    };
  }
  if (error instanceof RefreshWaitError) return { action: 'fail', error: error.message };
  if (error instanceof NoTokenSetError) return { action: 'cancel', error: error.message };
  if (VitalsError.is(error, 'repository.conflict') || VitalsError.is(error, 'repository.invalidTransition') || VitalsError.is(error, 'repository.notFound')) {
    return { action: 'lost', error: error.message };
  }
  if (!(error instanceof DexcomError)) {
    return { action: 'fail', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const where = error.endpoint === undefined ? '' : ` (${error.endpoint})`;
  switch (error.code) {
    case 'dexcom.rateLimited': {
      const askedMs = error.retry_after_s === undefined ? settings.retryAfterDefaultMs : error.retry_after_s * 1_000;
      const waitMs = Math.min(Math.max(askedMs, 0), settings.retryAfterMaxMs);
      const asked = error.retry_after_s === undefined ? 'no Retry-After' : `Retry-After ${error.retry_after_s} s`;
      return {
        action: 'defer',
        until: new Date(settings.now.getTime() + waitMs),
        reason: `Dexcom rate limited the sync${where}: 429, ${asked}; deferred ${Math.round(waitMs / 1_000)} s`,
      };
    }
    case 'dexcom.invalidGrant': {
      const afterTimeout = settings.previousError?.startsWith(REFRESH_TIMED_OUT) === true;
      return {
        action: 'reauthorize',
        error: afterTimeout
          ? 'Dexcom refused the refresh token (invalid_grant) after the previous attempt\'s refresh timed out: that refresh most likely spent it at Dexcom rather than the person revoking access; either way the person must connect Dexcom again'
          : 'Dexcom refused the refresh token (invalid_grant): access was revoked or has expired; the person must connect Dexcom again',
      };
    }
    case 'dexcom.unavailable':
      return { action: 'fail', error: error.message };
    case 'dexcom.invalidClient':
      return { action: 'fail', error: `Dexcom refused this deployment's client credentials${where}: check DEXCOM_CLIENT_ID and DEXCOM_CLIENT_SECRET` };
    default:
      return { action: 'fail', error: `${error.code}: ${error.message}` };
  }
}
