import { createHash } from 'node:crypto';

/**
 * Deterministic randomness addressed by name rather than by sequence: the same
 * key always gives the same number, so any reading of any user can be computed
 * on its own, in any order, without replaying history.
 */

/**
 * A 32-bit hash of the key parts: FNV-1a over the characters, then a
 * multiply-xorshift finaliser so that keys differing in one character land far
 * apart. Not cryptographic: cheap enough for every reading's every choice.
 */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) determined by the key parts. */
export function unit(...parts: (string | number)[]): number {
  return hash32(...parts) / 0x1_0000_0000;
}

/** A number in [min, max) determined by the key parts. */
export function between(min: number, max: number, ...parts: (string | number)[]): number {
  return min + (max - min) * unit(...parts);
}

/** An integer in [min, max] determined by the key parts. */
export function integerBetween(min: number, max: number, ...parts: (string | number)[]): number {
  return min + Math.floor((max - min + 1) * unit(...parts));
}

/** Hex SHA-256 of the key parts. */
export function hexDigest(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID-shaped id (version 4 and variant bits set) determined by the key parts. */
export function uuidFrom(...parts: (string | number)[]): string {
  const hex = hexDigest(...parts).slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
