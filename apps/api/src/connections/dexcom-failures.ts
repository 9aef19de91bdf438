import type { Logger } from '@vitals/dynamodb-core';
import { DexcomError } from '@vitals/dexcom-client';
import { ApiProblem } from '../middleware/problem-details.ts';

const START_AGAIN = 'nothing was connected; start connecting again';

/** OAuth error codes are short ASCII words; anything else is not repeated back. */
const OAUTH_ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * The problem for Dexcom's `error` on the redirect: the person declined
 * (`access_denied`), or Dexcom refused the request. Dexcom's own code is
 * repeated only when it looks like one; its description is never shown.
 */
export function deniedAtDexcom(error: string): ApiProblem {
  if (error === 'access_denied') return new ApiProblem('authorizationDenied', `Access was declined at Dexcom; ${START_AGAIN} to allow it`);
  const code = OAUTH_ERROR_CODE.test(error) ? ` (${error})` : '';
  return new ApiProblem('authorizationDenied', `Dexcom did not authorize Vitals${code}; ${START_AGAIN}`);
}

/**
 * A failed code exchange as the person's browser sees it. The state is
 * spent by then (it is consumed before the exchange, so a replay spends
 * nothing at Dexcom), so each says to start again. Failures that are the
 * deployment's, not the person's (credentials Dexcom refuses, answers it
 * should not give), are logged by code — never a token, code or secret,
 * which a `DexcomError` does not hold.
 */
export function exchangeProblem(error: unknown, log: Logger): unknown {
  if (!(error instanceof DexcomError)) return error;
  const fields = { dexcom_error_code: error.code, dexcom_status: error.status, dexcom_error: error.dexcom_error, reason: error.reason };
  switch (error.code) {
    case 'dexcom.invalidGrant':
      return new ApiProblem('authorizationDenied', `Dexcom refused the authorization code (expired or already used); ${START_AGAIN}`);
    case 'dexcom.rateLimited':
    case 'dexcom.unavailable': {
      log.warn(fields, 'the Dexcom code exchange failed');
      const retry: Record<string, string> = error.retry_after_s === undefined ? {} : { 'Retry-After': String(error.retry_after_s) };
      return new ApiProblem('providerUnavailable', `Dexcom did not answer in time; ${START_AGAIN} shortly`, undefined, retry);
    }
    default:
      log.error(fields, 'the Dexcom code exchange failed');
      return new ApiProblem('badGateway', `Dexcom refused or garbled the code exchange; ${START_AGAIN} later`);
  }
}
