import { RecentMap } from './recent-map.ts';

describe(RecentMap.name, () => {
  it('keeps at most its limit, forgetting the least recently used first', () => {
    const map = new RecentMap<string, string>(2);
    map.set('id-1', 'hash-1');
    map.set('id-2', 'hash-2');
    // Asked for, id-1 becomes the most recently used: id-2 goes when a third arrives.
    expect(map.get('id-1')).toBe('hash-1');
    map.set('id-3', 'hash-3');
    expect(map.size).toBe(2);
    expect(map.get('id-2')).toBeUndefined();
    expect(map.get('id-1')).toBe('hash-1');
    expect(map.get('id-3')).toBe('hash-3');
  });

  it('moves an entry written again to the end, and forgets one deleted', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(3);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(1);
  });
});
