import { randomBytes } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random
 * bits. A user's tokens sort by id in creation order, so the user index
 * (`user_id-token_id-index`) pages them oldest first.
 */
export function timeOrderedUuid(now: Date): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, now.getTime()), 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
