import { VitalsError } from '@vitals/dynamodb-core';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { TokenCipher, parseTokenKeyRing, type TokenKeyRing } from './token-cipher.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA: TokenKeyRing = { current_key_id: 'key-a', keys: { 'key-a': keyA } };
const ringBWithA: TokenKeyRing = { current_key_id: 'key-b', keys: { 'key-a': keyA, 'key-b': keyB } };

const SECRET = 'ya29.a0-access-token-SECRET-value';
const CONTEXT = JSON.stringify(['user_tokens', 'u1', 'dexcom', 'access_token']);

function failureOf(run: () => unknown): VitalsError {
  try {
    run();
  } catch (error) {
    if (error instanceof VitalsError) return error;
    throw error;
  }
  throw new Error('expected a VitalsError, nothing was thrown');
}

/** Replaces one base64url part of a sealed token with the same bytes, one bit flipped. */
function flipBit(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe(TokenCipher.name, () => {
  describe('constructor', () => {
    it.each([
      [
        'a key that is not base64',
        { current_key_id: 'k1', keys: { k1: 'not base64!!' } },
        'keys.k1',
        'key "k1" is not valid base64',
      ],
      [
        'a key of 16 bytes',
        { current_key_id: 'k1', keys: { k1: randomBytes(16).toString('base64') } },
        'keys.k1',
        'key "k1" is 16 bytes; AES-256 needs exactly 32',
      ],
      [
        'an old key of the wrong length beside a good current one',
        { current_key_id: 'k2', keys: { k1: randomBytes(31).toString('base64'), k2: keyB } },
        'keys.k1',
        'key "k1" is 31 bytes',
      ],
      [
        'a current key id that is not in keys',
        { current_key_id: 'k9', keys: { k1: keyA } },
        'current_key_id',
        'current key "k9" is not in keys',
      ],
      ['a key id with a dot', { current_key_id: 'k1', keys: { k1: keyA, 'k.2': keyB } }, 'keys.k.2', 'key id "k.2" must be'],
      ['no keys at all', { current_key_id: 'k1', keys: {} }, 'current_key_id', 'not in keys'],
    ])('when given %s, throws config.invalid naming the key id and never the key', (_label, ring, path, message) => {
      const error = failureOf(() => new TokenCipher(ring));
      expect(error.code).toBe('config.invalid');
      const { issues } = (error as VitalsError<'config.invalid'>).details;
      expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
      expect(error.message).toContain(message);
      for (const key of Object.values(ring.keys)) {
        if (key !== '') expect(JSON.stringify({ message: error.message, issues })).not.toContain(key);
      }
    });

    it('when a key is base64 with whitespace or without padding, rejects it instead of guessing', () => {
      expect(() => parseTokenKeyRing({ current_key_id: 'k1', keys: { k1: `${keyA}\n` } })).toThrow('key "k1" is not valid base64');
      expect(() => parseTokenKeyRing({ current_key_id: 'k1', keys: { k1: keyA.replace(/=+$/, '') } })).toThrow(
        'key "k1" is not valid base64',
      );
    });

    it('when the ring is not an object, says so', () => {
      expect(() => parseTokenKeyRing(undefined)).toThrow(/^Invalid token key ring: \(key ring\): /);
    });

    it('when inspected or serialised, shows no key material', () => {
      const cipher = new TokenCipher(ringBWithA);
      const shown = `${inspect(cipher, { depth: 10, showHidden: true })} ${JSON.stringify(cipher)}`;
      expect(shown).toContain('key-b');
      for (const key of [keyA, keyB]) {
        expect(shown).not.toContain(key);
        const bytes = Buffer.from(key, 'base64');
        expect(shown).not.toContain(bytes.toString('hex'));
        expect(shown).not.toContain(bytes.subarray(0, 8).toString('hex').replace(/(..)(?!$)/g, '$1 '));
      }
    });
  });

  describe('.encrypt / .decrypt', () => {
    const cipher = new TokenCipher(ringA);

    it('when opened with the same context, returns the plaintext, including non-ASCII text', () => {
      expect(cipher.decrypt(cipher.encrypt(SECRET, CONTEXT), CONTEXT)).toBe(SECRET);
      expect(cipher.decrypt(cipher.encrypt('tökén ✓', CONTEXT), CONTEXT)).toBe('tökén ✓');
    });

    it('writes v1.<key id>.<iv>.<ciphertext>.<tag> with a fresh 12-byte IV and a 16-byte tag, hiding the plaintext', () => {
      const first = cipher.encrypt(SECRET, CONTEXT);
      const second = cipher.encrypt(SECRET, CONTEXT);
      expect(first).toMatch(/^v1\.key-a\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      expect(first).not.toBe(second);
      expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
      for (const encoding of ['utf8', 'base64', 'base64url', 'hex'] as const) {
        expect(first).not.toContain(Buffer.from(SECRET).toString(encoding));
      }
    });

    it.each([
      ['another user', JSON.stringify(['user_tokens', 'u2', 'dexcom', 'access_token'])],
      ['another provider', JSON.stringify(['user_tokens', 'u1', 'fitbit', 'access_token'])],
      ['the other field', JSON.stringify(['user_tokens', 'u1', 'dexcom', 'refresh_token'])],
    ])('when opened with the context of %s, fails authentication without revealing text', (_label, other) => {
      const error = failureOf(() => cipher.decrypt(cipher.encrypt(SECRET, CONTEXT), other));
      expect(error).toMatchObject({ code: 'repository.decryptionFailed', details: { reason: 'authenticationFailed', key_id: 'key-a' } });
      expect(error.message).not.toContain(SECRET);
    });

    it.each([
      ['the IV', 2],
      ['the ciphertext', 3],
      ['the tag', 4],
    ])('when one bit of %s is flipped, fails authentication', (_label, part) => {
      const tampered = flipBit(cipher.encrypt(SECRET, CONTEXT), part);
      expect(failureOf(() => cipher.decrypt(tampered, CONTEXT)).details).toEqual({ reason: 'authenticationFailed', key_id: 'key-a' });
    });

    it('when the key id is rewritten to another key of the ring, fails authentication', () => {
      const rotated = new TokenCipher(ringBWithA);
      const relabelled = rotated.encrypt(SECRET, CONTEXT).replace(/^v1\.key-b\./, 'v1.key-a.');
      expect(failureOf(() => rotated.decrypt(relabelled, CONTEXT)).details).toEqual({ reason: 'authenticationFailed', key_id: 'key-a' });
    });

    it.each([
      ['plain text', SECRET],
      ['an empty string', ''],
      ['another format version', cipher.encrypt(SECRET, CONTEXT).replace(/^v1\./, 'v2.')],
      ['a truncated tag', cipher.encrypt(SECRET, CONTEXT).slice(0, -4)],
      ['a missing part', cipher.encrypt(SECRET, CONTEXT).split('.').slice(0, 4).join('.')],
      ['non-base64url characters', cipher.encrypt(SECRET, CONTEXT).replace(/\.([^.]+)$/, '.+/+/+/+/+/+/+/+/+/+/+/')],
    ])('when given %s, reports it as malformed', (_label, sealed) => {
      const error = failureOf(() => cipher.decrypt(sealed, CONTEXT));
      expect(error).toMatchObject({ code: 'repository.decryptionFailed', details: { reason: 'malformed' } });
      expect(error.message).not.toContain(SECRET);
    });

    it('when the ciphertext names a key the ring does not hold, reports that key id', () => {
      const sealed = new TokenCipher(ringBWithA).encrypt(SECRET, CONTEXT);
      const error = failureOf(() => cipher.decrypt(sealed, CONTEXT));
      expect(error).toMatchObject({ code: 'repository.decryptionFailed', details: { reason: 'unknownKey', key_id: 'key-b' } });
      expect(error.message).toContain('"key-b"');
    });
  });

  describe('key rotation', () => {
    it('when key-b becomes current with key-a kept, old ciphertexts still open and new ones name key-b', () => {
      const sealedWithA = new TokenCipher(ringA).encrypt(SECRET, CONTEXT);
      const rotated = new TokenCipher(ringBWithA);
      expect(rotated.decrypt(sealedWithA, CONTEXT)).toBe(SECRET);
      expect(rotated.keyIdOf(sealedWithA)).toBe('key-a');
      const sealedWithB = rotated.encrypt(SECRET, CONTEXT);
      expect(rotated.keyIdOf(sealedWithB)).toBe('key-b');
      expect(new TokenCipher({ current_key_id: 'key-b', keys: { 'key-b': keyB } }).decrypt(sealedWithB, CONTEXT)).toBe(SECRET);
    });
  });

  describe('.keyIdOf', () => {
    it('when given something that is not a ciphertext, returns undefined', () => {
      expect(new TokenCipher(ringA).keyIdOf('hello.world')).toBeUndefined();
      expect(new TokenCipher(ringA).keyIdOf(SECRET)).toBeUndefined();
    });
  });
});
