import { UserIdSchema } from '@vitals/models';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long a person has from asking for the login URL to coming back from Dexcom's login. */
export const AUTHORIZATION_STATE_TTL_MS = 10 * 60_000;
/** Random bytes in a state's nonce (base64url in the state). */
export const STATE_NONCE_BYTES = 32;
/** Longest `state` worth reading; a real one is about 200 characters. */
export const MAX_STATE_LENGTH = 1_024;

const NONCE_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((STATE_NONCE_BYTES * 4) / 3)}}$`);

/** What a state carries: whose authorization it is, its nonce (recorded on the connection) and when it expires. */
const StatePayloadSchema = z.strictObject({
  user_id: UserIdSchema,
  provider: z.literal('dexcom'),
  nonce: z.string().regex(NONCE_PATTERN),
  /** Epoch milliseconds. */
  exp: z.number().int().positive(),
});

export type StatePayload = z.infer<typeof StatePayloadSchema>;

/** Why a state is refused; the callback's problem names it (never the state's contents). */
export type StateRejection = 'malformed' | 'signature' | 'expired';

export type StateCheck = { ok: true; payload: StatePayload } | { ok: false; reason: StateRejection };

export interface IssuedState {
  state: string;
  nonce: string;
  expires_at: Date;
}

/**
 * The OAuth `state` of a Dexcom authorization: `base64url(payload).base64url(HMAC-SHA256)`,
 * the payload `{user_id, provider, nonce, exp}`. It binds the callback to the
 * user who asked for the login URL (the callback has no bearer token) and
 * expires after {@link AUTHORIZATION_STATE_TTL_MS}. The signature only
 * proves the API issued it; that it is used once is the connection's record
 * of the nonce, consumed by the callback.
 *
 * The key is the API's authorization-state secret, derived from the JWT
 * secret under a label of its own, so a state is no JWT and no cursor.
 */
export class AuthorizationStates {
  readonly #key: Uint8Array;

  constructor(
    key: Uint8Array,
    private readonly now: () => Date,
    private readonly ttlMs = AUTHORIZATION_STATE_TTL_MS,
  ) {
    this.#key = key;
  }

  /** A new state for `userId`, with the nonce to record and when it expires. */
  issue(userId: string): IssuedState {
    const nonce = randomBytes(STATE_NONCE_BYTES).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.ttlMs);
    const payload: StatePayload = { user_id: userId, provider: 'dexcom', nonce, exp: expiresAt.getTime() };
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return { state: `${encoded}.${this.#sign(encoded).toString('base64url')}`, nonce, expires_at: expiresAt };
  }

  /** The state's payload when the API signed it and it has not expired; else why not. */
  check(state: string): StateCheck {
    const parts = state.length <= MAX_STATE_LENGTH ? state.split('.') : [];
    const [encoded, signature] = parts;
    if (parts.length !== 2 || encoded === undefined || signature === undefined || !/^[A-Za-z0-9_-]+$/.test(encoded) || !/^[A-Za-z0-9_-]+$/.test(signature)) {
      return { ok: false, reason: 'malformed' };
    }
    const expected = this.#sign(encoded);
    const given = Buffer.from(signature, 'base64url');
    // Equal lengths first: timingSafeEqual throws otherwise. The length of an HMAC is no secret.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const payload = StatePayloadSchema.safeParse(json);
    if (!payload.success) return { ok: false, reason: 'malformed' };
    if (payload.data.exp <= this.now().getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, payload: payload.data };
  }

  #sign(encoded: string): Buffer {
    return createHmac('sha256', this.#key).update(encoded, 'utf8').digest();
  }
}
