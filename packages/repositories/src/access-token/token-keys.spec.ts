import { TokenKeys } from './token-keys.ts';

describe(TokenKeys.name, () => {
  it('remembers a key per user and token, and forgets it when told', () => {
    const keys = new TokenKeys(10);
    keys.remember('alice', 'id-1', 'hash-1');
    expect(keys.get('alice', 'id-1')).toBe('hash-1');
    expect(keys.get('bob', 'id-1')).toBeUndefined();
    keys.forget('alice', 'id-1');
    expect(keys.get('alice', 'id-1')).toBeUndefined();
  });

  it('keeps at most its limit, forgetting the least recently used first', () => {
    const keys = new TokenKeys(2);
    keys.remember('alice', 'id-1', 'hash-1');
    keys.remember('alice', 'id-2', 'hash-2');
    // Asked for, id-1 becomes the most recently used: id-2 goes when a third arrives.
    expect(keys.get('alice', 'id-1')).toBe('hash-1');
    keys.remember('alice', 'id-3', 'hash-3');
    expect(keys.size).toBe(2);
    expect(keys.get('alice', 'id-2')).toBeUndefined();
    expect(keys.get('alice', 'id-1')).toBe('hash-1');
    expect(keys.get('alice', 'id-3')).toBe('hash-3');
  });

  it('does not confuse pairs whose parts run together', () => {
    const keys = new TokenKeys(10);
    keys.remember('a"', 'b', 'hash-1');
    expect(keys.get('a', '"b')).toBeUndefined();
    expect(keys.get('a"', 'b')).toBe('hash-1');
  });
});
