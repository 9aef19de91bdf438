import { VitalsError } from '@vitals/dynamodb-core';
import { createHash, randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher.ts';
import { tokenKeyRingOf } from './token-key-ring-of.ts';

const key = () => randomBytes(32).toString('base64');

describe('tokenKeyRingOf', () => {
  it('names each key by k + the first 12 hex digits of its SHA-256, the current one current', () => {
    const current = key();
    const previous = key();
    const ring = tokenKeyRingOf(current, [previous]);
    const id = (text: string) => `k${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    expect(ring).toEqual({ current_key_id: id(current), keys: { [id(previous)]: previous, [id(current)]: current } });
  });

  it('when two processes are given the same keys, one opens what the other sealed, also after a rotation', () => {
    const old = key();
    const sealed = new TokenCipher(tokenKeyRingOf(old)).encrypt('a token', 'context');
    const rotated = new TokenCipher(tokenKeyRingOf(key(), [old]));
    expect(rotated.decrypt(sealed, 'context')).toBe('a token');
  });

  it('when a key is not base64 of 32 bytes, throws config.invalid without the key in the message', () => {
    const bad = Buffer.from('short').toString('base64');
    const error = (() => {
      try {
        tokenKeyRingOf(bad);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(VitalsError.is(error, 'config.invalid')).toBe(true);
    expect(String((error as Error).message)).not.toContain(bad);
  });
});
