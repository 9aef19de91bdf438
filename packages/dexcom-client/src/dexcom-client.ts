import { inspect } from 'node:util';
import type { z } from 'zod';
import { parseDexcomConfig, type DexcomClientConfig, type DexcomClientConfigInput } from './dexcom-config.ts';
import { DexcomError } from './dexcom-error.ts';
import { requestJson, type DexcomRequest, type FetchLike, type HttpSettings, type JsonAnswer } from './dexcom-http.ts';
import {
  DataRangeResponseSchema,
  DexcomTokenResponseSchema,
  EgvsEnvelopeSchema,
  type DataRangeResponse,
  type EgvRecord,
} from './dexcom-responses.schema.ts';
import { MAX_EGV_WINDOW_MS, dexcomQueryTime, formatDexcomTime, wholeSecondWindow, type InstantLike } from './dexcom-time.ts';
import { issueLines, parseEgvRecords, type InvalidEgvRecord } from './egv-records.ts';

/** The scope Vitals asks for: `offline_access`, so that a refresh token comes with the access token. */
export const DEXCOM_SCOPE = 'offline_access';

/**
 * A token set as the token endpoint issued it. `expires_at` (epoch seconds)
 * is computed from `expires_in` and the client's clock when the answer
 * arrived. Its fields are those of `UserTokenInput` (plus `expires_in`):
 * store the new `refresh_token` every time, the old one is spent.
 */
export interface DexcomTokenSet {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  expires_at: number;
}

/** What `egvs` answers: the records that parsed, in Dexcom's order, and each one that did not. */
export interface EgvsResult {
  userId: string;
  recordType: string;
  recordVersion: string;
  /** The window asked for, at Dexcom's precision (whole UTC seconds). */
  window: { start: string; end: string };
  records: EgvRecord[];
  invalid: InvalidEgvRecord[];
}

export interface DexcomClientDependencies {
  /** Defaults to the global `fetch`; replace it only to test what a real server cannot easily do. */
  fetch?: FetchLike;
  /** Defaults to the system clock: `expires_at` and `Retry-After` dates are counted from it. */
  now?: () => Date;
}

const TOKEN_PATH = '/v2/oauth2/token';
const LOGIN_PATH = '/v2/oauth2/login';
const EGVS_PATH = '/v3/users/self/egvs';
const DATA_RANGE_PATH = '/v3/users/self/dataRange';

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new DexcomError('dexcom.invalidArgument', `${name} must be a non-empty string`);
  }
  return value;
}

/**
 * Dexcom's API v3 over `fetch`: the OAuth authorization-code flow
 * (`authorizationUrl`, `exchangeCode`, `refresh`), `egvs` and `dataRange`.
 * Every answer is checked against the documented shape; every failure is a
 * {@link DexcomError} whose code says what to do about it. The client keeps
 * no token: each call is given the one it needs. Its client secret never
 * appears in anything it shows (`inspect`, `toString`, `toJSON`).
 */
export class DexcomClient {
  readonly #config: DexcomClientConfig;
  readonly #http: HttpSettings;

  constructor(config: DexcomClientConfigInput, dependencies: DexcomClientDependencies = {}) {
    this.#config = parseDexcomConfig(config);
    this.#http = {
      baseUrl: this.#config.baseUrl,
      timeoutMs: this.#config.timeoutMs,
      fetch: dependencies.fetch ?? ((input, init) => fetch(input, init)),
      now: dependencies.now ?? (() => new Date()),
    };
  }

  get baseUrl(): string {
    return this.#config.baseUrl;
  }

  /**
   * Dexcom's login page for a user to authorize this app: `GET
   * {base}/v2/oauth2/login` with `client_id`, `redirect_uri`,
   * `response_type=code`, `scope=offline_access` and `state`, which Dexcom
   * hands back to the redirect URI with the code.
   */
  authorizationUrl(state: string): string {
    const query = new URLSearchParams({
      client_id: this.#config.clientId,
      redirect_uri: this.#config.redirectUri,
      response_type: 'code',
      scope: DEXCOM_SCOPE,
      state: requireText(state, 'state'),
    });
    return `${this.#config.baseUrl}${LOGIN_PATH}?${query.toString()}`;
  }

  /** Exchanges the authorization code Dexcom sent to the redirect URI for a token set. */
  async exchangeCode(code: string): Promise<DexcomTokenSet> {
    requireText(code, 'code');
    return this.#token({ grant_type: 'authorization_code', code, redirect_uri: this.#config.redirectUri }, code);
  }

  /**
   * A new token set for a refresh token. Dexcom's refresh tokens are single
   * use: the answer's `refresh_token` replaces the one given, which is spent
   * whatever happens next. `dexcom.invalidGrant` means it was revoked,
   * expired or already used.
   */
  async refresh(refreshToken: string): Promise<DexcomTokenSet> {
    requireText(refreshToken, 'refreshToken');
    return this.#token({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
  }

  /**
   * The EGVs of `[start, end]`, asked as UTC `YYYY-MM-DDThh:mm:ss` (start
   * rounded down, end up, to the second). At most 30 days: a longer window
   * is refused with `dexcom.invalidArgument` before any call (split it with
   * `egvWindows`). A record that does not parse is reported in `invalid`,
   * never thrown.
   */
  async egvs(accessToken: string, window: { start: InstantLike; end: InstantLike }): Promise<EgvsResult> {
    requireText(accessToken, 'accessToken');
    const { start, end } = wholeSecondWindow(window.start, window.end);
    if (end.getTime() - start.getTime() > MAX_EGV_WINDOW_MS) {
      throw new DexcomError('dexcom.invalidArgument', 'an egvs window may span at most 30 days; split it with egvWindows', {
        endpoint: `GET ${EGVS_PATH}`,
        details: { start: start.toISOString(), end: end.toISOString(), max_days: 30 },
      });
    }
    const answer = await this.#get(EGVS_PATH, accessToken, { startDate: formatDexcomTime(start), endDate: formatDexcomTime(end) });
    const envelope = this.#parse(EgvsEnvelopeSchema, answer, `GET ${EGVS_PATH}`);
    const { records, invalid } = parseEgvRecords(envelope.records);
    return {
      userId: envelope.userId,
      recordType: envelope.recordType,
      recordVersion: envelope.recordVersion,
      window: { start: start.toISOString(), end: end.toISOString() },
      records,
      invalid,
    };
  }

  /**
   * The earliest and latest times of the user's calibrations, EGVs and
   * events (each null when there are none); with `lastSyncTime`, only of
   * data that arrived after it.
   */
  async dataRange(accessToken: string, lastSyncTime?: InstantLike): Promise<DataRangeResponse> {
    requireText(accessToken, 'accessToken');
    const query = lastSyncTime === undefined ? undefined : { lastSyncTime: dexcomQueryTime(lastSyncTime, 'lastSyncTime') };
    const answer = await this.#get(DATA_RANGE_PATH, accessToken, query);
    return this.#parse(DataRangeResponseSchema, answer, `GET ${DATA_RANGE_PATH}`);
  }

  toString(): string {
    return `DexcomClient(${this.#config.baseUrl}, client ${this.#config.clientId})`;
  }

  toJSON(): Record<string, unknown> {
    const { baseUrl, clientId, redirectUri, timeoutMs } = this.#config;
    return { baseUrl, clientId, redirectUri, timeoutMs };
  }

  [inspect.custom](): string {
    return `DexcomClient ${inspect(this.toJSON(), { breakLength: Infinity })}`;
  }

  async #token(grant: Record<string, string>, secret: string): Promise<DexcomTokenSet> {
    const request: DexcomRequest = {
      kind: 'token',
      method: 'POST',
      path: TOKEN_PATH,
      form: { client_id: this.#config.clientId, client_secret: this.#config.clientSecret, ...grant },
      secrets: [this.#config.clientSecret, secret],
    };
    const answer = await requestJson(this.#http, request);
    const issuedAt = this.#http.now();
    const token = this.#parse(DexcomTokenResponseSchema, answer, `POST ${TOKEN_PATH}`);
    return {
      access_token: token.access_token,
      refresh_token: token.refresh_token,
      token_type: 'Bearer',
      scope: token.scope ?? DEXCOM_SCOPE,
      expires_in: token.expires_in,
      expires_at: Math.floor(issuedAt.getTime() / 1000) + token.expires_in,
    };
  }

  async #get(path: string, accessToken: string, query?: Record<string, string>): Promise<JsonAnswer> {
    return requestJson(this.#http, {
      kind: 'data',
      method: 'GET',
      path,
      bearer: accessToken,
      ...(query === undefined ? {} : { query }),
      secrets: [this.#config.clientSecret, accessToken],
    });
  }

  /** The body checked against `schema`, or `dexcom.badResponse` with the issues (paths and rules, never values). */
  #parse<S extends z.ZodType>(schema: S, answer: JsonAnswer, endpoint: string): z.output<S> {
    const parsed = schema.safeParse(answer.body);
    if (parsed.success) return parsed.data;
    const issues = issueLines(parsed.error.issues);
    throw new DexcomError('dexcom.badResponse', `Dexcom ${endpoint} answered a body of another shape: ${issues.join('; ')}`, {
      endpoint,
      status: answer.status,
      details: { issues },
    });
  }
}
