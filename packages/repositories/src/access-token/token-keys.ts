import { RecentMap } from '../base/recent-map.ts';

/** How many tokens' keys a process remembers for `resolveById`: a few MB at most. */
export const TOKEN_KEYS_KEPT = 10_000;

/**
 * Which `token_hash` (the table key) holds a user's token `token_id`. The
 * pair never changes for a token, so remembering it is never wrong, only
 * stale once the token is gone — and the strongly consistent read by key
 * that follows says so. Bounded: the least recently used is forgotten
 * first. Held in memory only, never logged.
 */
export class TokenKeys {
  private readonly keys: RecentMap<string, string>;

  constructor(limit: number) {
    this.keys = new RecentMap(limit);
  }

  get(userId: string, tokenId: string): string | undefined {
    return this.keys.get(nameOf(userId, tokenId));
  }

  remember(userId: string, tokenId: string, tokenHash: string): void {
    this.keys.set(nameOf(userId, tokenId), tokenHash);
  }

  forget(userId: string, tokenId: string): void {
    this.keys.delete(nameOf(userId, tokenId));
  }
}

/** The pair as one unambiguous string (a user id may hold any character). */
function nameOf(userId: string, tokenId: string): string {
  return JSON.stringify([userId, tokenId]);
}
