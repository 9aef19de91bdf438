import { inspect } from 'node:util';

/**
 * Every code a {@link DexcomError} carries:
 *
 * - `dexcom.rateLimited` — 429; `retry_after_s` from `Retry-After` when Dexcom sent one. Retry later.
 * - `dexcom.unavailable` — a 5xx, a network error or a timeout (`reason`). Retry with backoff.
 * - `dexcom.invalidGrant` — the token endpoint refused the code or refresh token (`invalid_grant`):
 *   revoked, expired or already used. The user must authorize again.
 * - `dexcom.invalidClient` — the token endpoint refused the app's credentials (`invalid_client`, or a
 *   401 there): a deployment problem, not the user's.
 * - `dexcom.unauthorized` — a data endpoint refused the access token (401/403): expired or invalid.
 *   Refresh and retry once.
 * - `dexcom.badRequest` — any other 4xx: a request Dexcom would not take.
 * - `dexcom.badResponse` — a 2xx whose body is not JSON, or not the documented shape.
 * - `dexcom.invalidArgument` — refused before any call (a window longer than 30 days, an empty token).
 * - `dexcom.invalidConfig` — the client's config does not validate.
 */
export type DexcomErrorCode =
  | 'dexcom.rateLimited'
  | 'dexcom.unavailable'
  | 'dexcom.invalidGrant'
  | 'dexcom.invalidClient'
  | 'dexcom.unauthorized'
  | 'dexcom.badRequest'
  | 'dexcom.badResponse'
  | 'dexcom.invalidArgument'
  | 'dexcom.invalidConfig';

/** Why a request counted as `dexcom.unavailable`. */
export type UnavailableReason = 'status' | 'network' | 'timeout';

export interface DexcomErrorOptions {
  /** HTTP status Dexcom answered with, when it answered. */
  status?: number;
  /** `METHOD /path` of the call (never its query string or body). */
  endpoint?: string;
  /** Dexcom's own error code: OAuth `error` (`invalid_grant`), or a gateway fault code. */
  dexcom_error?: string;
  /** Seconds `Retry-After` asked to wait (429, or a 503 that sent it). */
  retry_after_s?: number;
  reason?: UnavailableReason;
  /** Anything else worth knowing, free of secrets (validation issues, limits). */
  details?: Readonly<Record<string, unknown>>;
}

const RETRYABLE: ReadonlySet<DexcomErrorCode> = new Set(['dexcom.rateLimited', 'dexcom.unavailable']);

/**
 * The one error class of `@vitals/dexcom-client`. Its message and fields are
 * built by this package from statuses, endpoint paths and Dexcom's error
 * codes, with every secret of the call (client secret, code, tokens)
 * replaced before anything is kept, and it has no `cause`, whose
 * inspection could carry a request. Inspecting or serialising it shows the
 * fields below and nothing else.
 */
export class DexcomError extends Error {
  override readonly name = 'DexcomError';
  readonly status: number | undefined;
  readonly endpoint: string | undefined;
  readonly dexcom_error: string | undefined;
  readonly retry_after_s: number | undefined;
  readonly reason: UnavailableReason | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: DexcomErrorCode,
    message: string,
    options: DexcomErrorOptions = {},
  ) {
    super(message);
    this.status = options.status;
    this.endpoint = options.endpoint;
    this.dexcom_error = options.dexcom_error;
    this.retry_after_s = options.retry_after_s;
    this.reason = options.reason;
    this.details = options.details ?? {};
  }

  /** True for the codes a caller should retry later: `rateLimited` and `unavailable`. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** The fields as plain data, for logs and job records. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const key of ['status', 'endpoint', 'dexcom_error', 'retry_after_s', 'reason'] as const) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    if (Object.keys(this.details).length > 0) json['details'] = this.details;
    return json;
  }

  [inspect.custom](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`} ${inspect(this.toJSON(), { depth: 4, breakLength: Infinity })}`;
  }
}

/**
 * Opaque, token-like runs: 24 or more URL-safe, base64 or JWT characters with
 * at least one digit. Words and error codes (`invalid_grant`,
 * `keymanagement.service.access_token_expired`) have no digit and stay.
 */
const TOKEN_LIKE = /[A-Za-z0-9._~+/=-]{24,}/g;

/**
 * Text that came from Dexcom, safe to keep: each secret of the call
 * replaced (longest first), then anything else that looks like a token,
 * then capped at `maxLength`.
 */
export function redact(text: string, secrets: readonly string[], maxLength = 300): string {
  let clean = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) clean = clean.split(secret).join('[redacted]');
  }
  clean = clean.replace(TOKEN_LIKE, (run) => (/\d/.test(run) ? '[redacted]' : run));
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}
