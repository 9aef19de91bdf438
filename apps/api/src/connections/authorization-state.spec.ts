import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { AUTHORIZATION_STATE_TTL_MS, AuthorizationStates, MAX_STATE_LENGTH, STATE_NONCE_BYTES } from './authorization-state.ts';

const KEY = randomBytes(32);
const START = Date.parse('2026-06-01T12:00:00.000Z');

function statesAt(instant: { ms: number }, key: Uint8Array = KEY) {
  return new AuthorizationStates(key, () => new Date(instant.ms));
}

/** The state with its payload replaced by `edit(payload)`, the signature kept. */
function withPayload(state: string, edit: (payload: Record<string, unknown>) => unknown): string {
  const [encoded, signature] = state.split('.') as [string, string];
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${Buffer.from(JSON.stringify(edit(payload)), 'utf8').toString('base64url')}.${signature}`;
}

/** A state with `payload`, signed with `key`, as an attacker who had the key would build it. */
function signed(payload: unknown, key: Uint8Array): string {
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${createHmac('sha256', key).update(encoded).digest('base64url')}`;
}

describe('AuthorizationStates', () => {
  const clock = { ms: START };
  const states = statesAt(clock);
  beforeEach(() => {
    clock.ms = START;
  });

  it('when a state is issued, it checks as the user’s, with a fresh 32-byte nonce and an expiry 10 minutes on', () => {
    const issued = states.issue('alice');
    expect(issued.expires_at.toISOString()).toBe('2026-06-01T12:10:00.000Z');
    expect(Buffer.from(issued.nonce, 'base64url')).toHaveLength(STATE_NONCE_BYTES);
    expect(states.check(issued.state)).toEqual({
      ok: true,
      payload: { user_id: 'alice', provider: 'dexcom', nonce: issued.nonce, exp: START + AUTHORIZATION_STATE_TTL_MS },
    });
    expect(states.issue('alice').nonce).not.toBe(issued.nonce);
  });

  it('when its time is up, it is expired; a millisecond before, it is still good', () => {
    const { state } = states.issue('alice');
    clock.ms = START + AUTHORIZATION_STATE_TTL_MS - 1;
    expect(states.check(state).ok).toBe(true);
    clock.ms = START + AUTHORIZATION_STATE_TTL_MS;
    expect(states.check(state)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when its payload is changed — another user, a later expiry, another nonce — the signature no longer holds', () => {
    const { state } = states.issue('alice');
    expect(states.check(withPayload(state, (payload) => ({ ...payload, user_id: 'bob' })))).toEqual({ ok: false, reason: 'signature' });
    expect(states.check(withPayload(state, (payload) => ({ ...payload, exp: START + 86_400_000 })))).toEqual({ ok: false, reason: 'signature' });
    expect(states.check(withPayload(state, (payload) => ({ ...payload, nonce: randomBytes(32).toString('base64url') })))).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('when the signature is cut, extended or replaced, it is refused', () => {
    const { state } = states.issue('alice');
    const [encoded, signature] = state.split('.') as [string, string];
    expect(states.check(`${encoded}.${signature.slice(0, -2)}`)).toEqual({ ok: false, reason: 'signature' });
    expect(states.check(`${encoded}.${signature}AA`)).toEqual({ ok: false, reason: 'signature' });
    expect(states.check(`${encoded}.${randomBytes(32).toString('base64url')}`)).toEqual({ ok: false, reason: 'signature' });
  });

  it('when it was signed with another key (another deployment, or the JWT secret itself), it is refused', () => {
    const other = statesAt(clock, randomBytes(32)).issue('alice').state;
    expect(states.check(other)).toEqual({ ok: false, reason: 'signature' });
  });

  it('when a JWT signed with the same key is offered as a state, it is malformed, not accepted', async () => {
    const jwt = await new SignJWT({ user_id: 'alice' }).setProtectedHeader({ alg: 'HS256' }).sign(KEY);
    expect(states.check(jwt)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when it is not two base64url parts, or too long, it is malformed', () => {
    for (const state of ['', 'abc', 'a.b.c', 'ab$.cd', '.abc', 'abc.', `${'a'.repeat(MAX_STATE_LENGTH)}.b`]) {
      expect({ state, check: states.check(state) }).toEqual({ state, check: { ok: false, reason: 'malformed' } });
    }
  });

  it('when a correctly signed payload is not a state (not JSON, a foreign field, a short nonce), it is malformed', () => {
    const good = { user_id: 'alice', provider: 'dexcom', nonce: randomBytes(32).toString('base64url'), exp: START + 60_000 };
    const notJson = `${Buffer.from('not json').toString('base64url')}.${createHmac('sha256', KEY).update(Buffer.from('not json').toString('base64url')).digest('base64url')}`;
    expect(states.check(notJson)).toEqual({ ok: false, reason: 'malformed' });
    expect(states.check(signed({ ...good, admin: true }, KEY))).toEqual({ ok: false, reason: 'malformed' });
    expect(states.check(signed({ ...good, nonce: 'short' }, KEY))).toEqual({ ok: false, reason: 'malformed' });
    expect(states.check(signed({ ...good, provider: 'libre' }, KEY))).toEqual({ ok: false, reason: 'malformed' });
    expect(states.check(signed(good, KEY)).ok).toBe(true);
  });
});
