/**
 * Faults a test asks for. A queued fault applies to the next matching
 * requests: `times` of them, or all of them for `forMs` of the simulator's
 * clock (whichever ends first; one request when neither is given). The two
 * token faults act at once instead.
 */

/** The Dexcom endpoints, as faults, counters and the request log name them. */
export const DEXCOM_ENDPOINTS = ['login', 'token', 'egvs', 'dataRange'] as const;

export type DexcomEndpoint = (typeof DEXCOM_ENDPOINTS)[number];

/** Which requests a queued fault applies to, and for how long. */
export interface FaultScope {
  /** Only this endpoint; default: every Dexcom endpoint. */
  endpoint?: DexcomEndpoint;
  /** Only requests made for this user (known for egvs and dataRange through the token, for login through `login_hint`). */
  login?: string;
  /** Apply to this many requests. */
  times?: number;
  /** Apply for this long (simulator clock). */
  forMs?: number;
}

export type FaultSpec =
  /** `429 Too Many Requests` with `Retry-After` (seconds, default 60). */
  | ({ kind: 'rateLimit'; retryAfterSeconds?: number } & FaultScope)
  /** A server error (default 503). */
  | ({ kind: 'serverError'; status?: 500 | 502 | 503 | 504 } & FaultScope)
  /** The answer, but only after `delayMs` of real time. */
  | ({ kind: 'slow'; delayMs: number } & FaultScope)
  /** `count` (default 3) malformed records mixed into each egvs answer, next to the real ones. */
  | ({ kind: 'malformedRecords'; count?: number } & Omit<FaultScope, 'endpoint'>)
  /** Now: every access token (of `login`, or everyone's) expires; the next call with one is a 401. */
  | { kind: 'expireAccessTokens'; login?: string }
  /** Now: every unspent refresh token (of `login`, or everyone's) is revoked; refreshing is `400 invalid_grant`. */
  | { kind: 'revokeRefreshTokens'; login?: string };

export type QueuedFaultSpec = Extract<FaultSpec, { kind: 'rateLimit' | 'serverError' | 'slow' | 'malformedRecords' }>;

export interface ActiveFault {
  id: number;
  spec: QueuedFaultSpec;
  /** Requests it still applies to (Infinity: until `until`). */
  remaining: number;
  /** Simulator time it stops applying (Infinity: after `remaining` requests). */
  until: number;
}

export class FaultQueue {
  readonly #active: ActiveFault[] = [];
  #nextId = 1;

  constructor(private readonly now: () => number) {}

  add(spec: QueuedFaultSpec): ActiveFault {
    const { times, forMs } = spec;
    if (times !== undefined && !(Number.isInteger(times) && times > 0)) throw new RangeError(`times must be a positive integer (got ${times})`);
    if (forMs !== undefined && !(Number.isFinite(forMs) && forMs > 0)) throw new RangeError(`forMs must be a positive number of ms (got ${forMs})`);
    const fault: ActiveFault = {
      id: this.#nextId++,
      spec,
      remaining: times ?? (forMs === undefined ? 1 : Infinity),
      until: forMs === undefined ? Infinity : this.now() + forMs,
    };
    this.#active.push(fault);
    return fault;
  }

  /** Takes one use of the oldest live fault of this kind that matches the request, if any. */
  take<K extends QueuedFaultSpec['kind']>(
    kind: K,
    request: { endpoint: DexcomEndpoint; login?: string | undefined },
  ): Extract<QueuedFaultSpec, { kind: K }> | undefined {
    this.#expire();
    const fault = this.#active.find(
      ({ spec }) =>
        spec.kind === kind &&
        (!('endpoint' in spec) || spec.endpoint === undefined || spec.endpoint === request.endpoint) &&
        (spec.login === undefined || spec.login === request.login),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.#expire();
    return fault.spec as Extract<QueuedFaultSpec, { kind: K }>;
  }

  list(): ActiveFault[] {
    this.#expire();
    return this.#active.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.#active.length = 0;
  }

  #expire(): void {
    const now = this.now();
    for (let i = this.#active.length - 1; i >= 0; i--) {
      const fault = this.#active[i];
      if (fault && (fault.remaining <= 0 || now >= fault.until)) this.#active.splice(i, 1);
    }
  }
}
