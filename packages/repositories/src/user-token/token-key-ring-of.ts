import { createHash } from 'node:crypto';
import { parseTokenKeyRing, type TokenKeyRing } from './token-cipher.ts';

/**
 * The key ring of a deployment's token keys as its environment gives them
 * (`TOKEN_ENCRYPTION_KEY`, and `TOKEN_ENCRYPTION_PREVIOUS_KEYS` still
 * readable), each under an id that is a fingerprint of the key
 * (`k` + the first 12 hex digits of its SHA-256). A ciphertext names its key
 * by that id, so every process that shares the keys — the API that stores
 * tokens, the sync worker that refreshes them — opens what the others sealed
 * without any id being configured, and no id reveals its key. Throws
 * `config.invalid` like {@link parseTokenKeyRing}.
 */
export function tokenKeyRingOf(currentKey: string, previousKeys: readonly string[] = []): TokenKeyRing {
  const idOf = (key: string) => `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  const keys = Object.fromEntries([...previousKeys, currentKey].map((key) => [idOf(key), key]));
  return parseTokenKeyRing({ current_key_id: idOf(currentKey), keys });
}
