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
  private readonly keys = new Map<string, string>();

  constructor(private readonly limit: number) {}

  get(userId: string, tokenId: string): string | undefined {
    const name = nameOf(userId, tokenId);
    const key = this.keys.get(name);
    if (key !== undefined) {
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.keys.delete(name);
      this.keys.set(name, key);
    }
    return key;
  }

  remember(userId: string, tokenId: string, tokenHash: string): void {
    const name = nameOf(userId, tokenId);
    this.keys.delete(name);
    this.keys.set(name, tokenHash);
    if (this.keys.size > this.limit) this.keys.delete(this.keys.keys().next().value as string);
  }

  forget(userId: string, tokenId: string): void {
    this.keys.delete(nameOf(userId, tokenId));
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The pair as one unambiguous string (a user id may hold any character). */
function nameOf(userId: string, tokenId: string): string {
  return JSON.stringify([userId, tokenId]);
}
