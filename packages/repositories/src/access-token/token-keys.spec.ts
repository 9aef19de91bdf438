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

  it('forgets the least recently used once its limit is reached (RecentMap)', () => {
    const keys = new TokenKeys(1);
    keys.remember('alice', 'id-1', 'hash-1');
    keys.remember('alice', 'id-2', 'hash-2');
    expect(keys.get('alice', 'id-1')).toBeUndefined();
    expect(keys.get('alice', 'id-2')).toBe('hash-2');
  });

  it('does not confuse pairs whose parts run together, whatever characters a user id holds', () => {
    const keys = new TokenKeys(10);
    for (const [userId, tokenId] of [['a:b', 'c'], ['a"', 'b'], ['a\u0000b', 'c'], ['a","b', 'c']]) keys.remember(userId as string, tokenId as string, `hash-${userId}`);
    expect(keys.get('a', 'b:c')).toBeUndefined();
    expect(keys.get('a', '"b')).toBeUndefined();
    expect(keys.get('a', 'b\u0000c')).toBeUndefined();
    expect(keys.get('a', 'b","c')).toBeUndefined();
    expect(keys.get('a:b', 'c')).toBe('hash-a:b');
    expect(keys.get('a","b', 'c')).toBe('hash-a","b');
  });
});
