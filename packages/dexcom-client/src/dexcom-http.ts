import { DexcomError, redact, type DexcomErrorCode, type DexcomErrorOptions } from './dexcom-error.ts';
import { DexcomErrorBodySchema } from './dexcom-responses.schema.ts';

/** The `fetch` a client calls: the global one, or a stand-in in tests of edge cases. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** `token`: the OAuth token endpoint (its 400/401 speak of grants and clients); `data`: a bearer-authorized data endpoint. */
export type EndpointKind = 'token' | 'data';

export interface DexcomRequest {
  kind: EndpointKind;
  method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/v3/users/self/egvs`. */
  path: string;
  query?: Record<string, string>;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  bearer?: string;
  /** Every secret of this call: replaced wherever Dexcom's text could repeat it. */
  secrets: readonly string[];
}

/** A 2xx answer: its status and JSON body. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

export interface HttpSettings {
  baseUrl: string;
  timeoutMs: number;
  fetch: FetchLike;
  now: () => Date;
}

/** Each secret as sent, and as a form or query string encodes it. */
function secretForms(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]))].filter(
    (secret) => secret.length > 0,
  );
}

/**
 * Seconds a `Retry-After` header asks to wait: delta-seconds, or an
 * HTTP-date counted from `now` (0 once past); undefined when absent or
 * unreadable (RFC 9110 §10.2.3).
 */
export function retryAfterSeconds(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (!/[a-z]/i.test(text) || !Number.isFinite(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Dexcom's error code and description from an error body, when it is JSON of a known shape. */
function errorBodyOf(text: string): { code?: string; description?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = DexcomErrorBodySchema.safeParse(json);
  if (!parsed.success) return {};
  const { error, error_description, fault } = parsed.data;
  const code = error ?? fault?.detail?.errorcode;
  const description = error_description ?? fault?.faultstring;
  return { ...(code === undefined ? {} : { code }), ...(description === undefined ? {} : { description }) };
}

const MEANING: Record<Exclude<DexcomErrorCode, 'dexcom.invalidArgument' | 'dexcom.invalidConfig' | 'dexcom.badResponse'>, string> = {
  'dexcom.rateLimited': 'rate limited',
  'dexcom.unavailable': 'unavailable',
  'dexcom.invalidGrant': 'refused the grant: the code or refresh token is revoked, expired or already used, so the user must authorize again',
  'dexcom.invalidClient': "refused the app's client credentials",
  'dexcom.unauthorized': 'refused the access token (expired or invalid)',
  'dexcom.badRequest': 'refused the request',
};

function codeOfStatus(kind: EndpointKind, status: number, dexcomCode: string | undefined): keyof typeof MEANING {
  if (status === 429) return 'dexcom.rateLimited';
  if (status >= 500) return 'dexcom.unavailable';
  if (kind === 'token') {
    if (dexcomCode === 'invalid_grant') return 'dexcom.invalidGrant';
    if (dexcomCode === 'invalid_client' || status === 401) return 'dexcom.invalidClient';
    return 'dexcom.badRequest';
  }
  return status === 401 || status === 403 ? 'dexcom.unauthorized' : 'dexcom.badRequest';
}

// Errors are read by their fields, not `instanceof`: fetch's errors may come from another realm (a test VM, a worker).
type ErrorFields = { name?: unknown; code?: unknown; cause?: unknown };

function isTimeout(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as ErrorFields).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The code of a network failure (`ECONNREFUSED`, `UND_ERR_SOCKET`, …), found on fetch's error or its causes. */
function networkCode(error: unknown): string | undefined {
  for (let at: unknown = error, depth = 0; typeof at === 'object' && at !== null && depth < 4; at = (at as ErrorFields).cause, depth++) {
    const code = (at as ErrorFields).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Sends one request and answers its status and JSON body, or throws a
 * {@link DexcomError}. The timeout covers the whole exchange, body
 * included. Nothing of the request (body, bearer, query) is kept in an
 * error; text from Dexcom is kept only with the call's secrets replaced.
 */
export async function requestJson(settings: HttpSettings, request: DexcomRequest): Promise<JsonAnswer> {
  const endpoint = `${request.method} ${request.path}`;
  const secrets = secretForms(request.secrets);
  const url = `${settings.baseUrl}${request.path}${request.query === undefined ? '' : `?${new URLSearchParams(request.query).toString()}`}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.bearer !== undefined) headers['authorization'] = `Bearer ${request.bearer}`;
  if (request.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const init: RequestInit = {
    method: request.method,
    headers,
    redirect: 'error',
    signal: AbortSignal.timeout(settings.timeoutMs),
    ...(request.form === undefined ? {} : { body: new URLSearchParams(request.form).toString() }),
  };

  let status: number | undefined;
  let response: Response;
  let text: string;
  try {
    response = await settings.fetch(url, init);
    status = response.status;
    text = await response.text();
  } catch (error) {
    const timeout = isTimeout(error);
    const code = timeout ? undefined : networkCode(error);
    const network = code === undefined ? '' : ` (${code})`;
    const what =
      status === undefined
        ? timeout
          ? `did not answer within ${settings.timeoutMs} ms`
          : `could not be reached${network}`
        : `answered ${status}, but its body ${timeout ? `did not arrive within ${settings.timeoutMs} ms` : `broke off${network}`}`;
    throw new DexcomError('dexcom.unavailable', `Dexcom ${endpoint} ${what}`, {
      endpoint,
      reason: timeout ? 'timeout' : 'network',
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { details: { network_code: code } }),
    });
  }

  if (response.status >= 200 && response.status < 300) {
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new DexcomError('dexcom.badResponse', `Dexcom ${endpoint} answered ${response.status} with a body that is not JSON`, {
        endpoint,
        status: response.status,
      });
    }
  }

  const body = errorBodyOf(text);
  const dexcomCode = body.code === undefined ? undefined : redact(body.code, secrets, 100);
  const code = codeOfStatus(request.kind, response.status, body.code);
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), settings.now());
  const description = body.description === undefined ? '' : `: ${redact(body.description, secrets, 200)}`;
  const options: DexcomErrorOptions = {
    endpoint,
    status: response.status,
    ...(dexcomCode === undefined ? {} : { dexcom_error: dexcomCode }),
    ...((code === 'dexcom.rateLimited' || code === 'dexcom.unavailable') && retryAfter !== undefined ? { retry_after_s: retryAfter } : {}),
    ...(code === 'dexcom.unavailable' ? { reason: 'status' as const } : {}),
  };
  throw new DexcomError(
    code,
    `Dexcom ${endpoint} answered ${response.status}${dexcomCode === undefined ? '' : ` ${dexcomCode}`} (${MEANING[code]})${description}`,
    options,
  );
}
