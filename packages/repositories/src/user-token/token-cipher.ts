import { VitalsError } from '@vitals/dynamodb-core';
import type { ServiceIdentifier } from 'inversify';
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { TokenDecryptionFailure } from './user-token.errors.ts';
import './user-token.errors.ts';

/**
 * The keys that encrypt stored OAuth tokens. New ciphertexts use
 * `current_key_id`; every other key stays readable, so a key is rotated by
 * adding a new one as current and dropping the old one only once nothing
 * names it any more.
 */
export interface TokenKeyRing {
  current_key_id: string;
  /** Key id → base64 of exactly 32 random bytes (AES-256). */
  keys: Readonly<Record<string, string>>;
}

/** Injection token of the key ring the user-token repository encrypts with. */
export const USER_TOKEN_KEYS = Symbol.for('@vitals/repositories/TokenKeyRing') as ServiceIdentifier<TokenKeyRing>;

const FORMAT = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids travel inside ciphertexts, between dots, so they are restricted to a dot-free alphabet. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_ID_RULE = 'must be 1..64 characters of A-Z a-z 0-9 _ -';
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Canonical padded base64 only: `Buffer.from` alone accepts almost anything and would hide a mangled key. */
function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function strictBase64url(text: string): Buffer | undefined {
  if (!BASE64URL_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Validates a key ring. Messages name the key id at fault, never the key:
 * zod's own messages do not echo input, and ours are written by hand.
 */
export const TokenKeyRingSchema = z
  .strictObject({
    current_key_id: z.string().regex(KEY_ID_PATTERN, KEY_ID_RULE),
    keys: z.record(z.string(), z.string()),
  })
  .superRefine((ring, ctx) => {
    for (const [id, key] of Object.entries(ring.keys)) {
      if (!KEY_ID_PATTERN.test(id)) {
        ctx.addIssue({ code: 'custom', path: ['keys', id], message: `key id "${id}" ${KEY_ID_RULE}` });
      }
      const bytes = strictBase64(key);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', path: ['keys', id], message: `key "${id}" is not valid base64` });
      } else if (bytes.length !== KEY_BYTES) {
        ctx.addIssue({
          code: 'custom',
          path: ['keys', id],
          message: `key "${id}" is ${bytes.length} bytes; AES-256 needs exactly ${KEY_BYTES}`,
        });
      }
    }
    if (!Object.hasOwn(ring.keys, ring.current_key_id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['current_key_id'],
        message: `current key "${ring.current_key_id}" is not in keys`,
      });
    }
  });

/** Parses a key ring; every problem becomes one `config.invalid` error naming key ids, never keys. */
export function parseTokenKeyRing(ring: unknown): TokenKeyRing {
  const result = TokenKeyRingSchema.safeParse(ring);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(key ring)',
    message: issue.message,
  }));
  throw new VitalsError(
    'config.invalid',
    `Invalid token key ring: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { issues },
  );
}

function decryptionFailed(reason: TokenDecryptionFailure, keyId?: string): VitalsError<'repository.decryptionFailed'> {
  const why = {
    malformed: 'is not a token ciphertext this library wrote',
    unknownKey: `names key "${keyId}", which is not in the key ring`,
    authenticationFailed: `failed authentication under key "${keyId}" (altered, copied from another item or field, or the key changed)`,
  }[reason];
  return new VitalsError('repository.decryptionFailed', `The stored token ${why}`, {
    reason,
    ...(keyId === undefined ? {} : { key_id: keyId }),
  });
}

/**
 * AES-256-GCM for short secrets such as OAuth tokens. A ciphertext is the
 * opaque string `v1.<key_id>.<iv>.<ciphertext>.<tag>` (base64url parts, a
 * fresh random 12-byte IV each time). The caller's `context` is
 * authenticated with it (GCM associated data, together with the version and
 * key id), so a ciphertext only opens with the context it was sealed for:
 * bind it to the item and field it belongs to.
 */
export class TokenCipher {
  /** The key id new ciphertexts are written with. */
  readonly currentKeyId: string;
  // A private field and KeyObjects: neither JSON.stringify nor util.inspect can show key material.
  readonly #keys: ReadonlyMap<string, KeyObject>;

  /** Throws `config.invalid` for a bad ring (see {@link parseTokenKeyRing}). */
  constructor(ring: TokenKeyRing) {
    const valid = parseTokenKeyRing(ring);
    this.currentKeyId = valid.current_key_id;
    this.#keys = new Map(
      Object.entries(valid.keys).map(([id, key]) => [id, createSecretKey(strictBase64(key) as Buffer)]),
    );
  }

  encrypt(plaintext: string, context: string): string {
    const header = `${FORMAT}.${this.currentKeyId}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(this.currentKeyId) as KeyObject, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(header, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [header, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    );
  }

  /**
   * Opens a ciphertext with the key it names (old keys included) and the
   * context it was sealed for. Any failure is `repository.decryptionFailed`
   * with a reason and the key id, never text.
   */
  decrypt(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw decryptionFailed('malformed');
    const [, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
    if (!KEY_ID_PATTERN.test(keyId)) throw decryptionFailed('malformed');
    const iv = strictBase64url(ivText);
    const ciphertext = strictBase64url(ciphertextText);
    const tag = strictBase64url(tagText);
    if (iv?.length !== IV_BYTES || ciphertext === undefined || tag?.length !== TAG_BYTES) {
      throw decryptionFailed('malformed', keyId);
    }
    const key = this.#keys.get(keyId);
    if (key === undefined) throw decryptionFailed('unknownKey', keyId);

    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(`${FORMAT}.${keyId}`, context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Node's message ("Unsupported state or unable to authenticate data") adds nothing and is dropped on purpose.
      throw decryptionFailed('authenticationFailed', keyId);
    }
  }

  /** The key id a ciphertext names, or undefined when it is not one of ours. */
  keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split('.');
    return parts.length === 5 && parts[0] === FORMAT && KEY_ID_PATTERN.test(parts[1] ?? '') ? parts[1] : undefined;
  }
}

/** The header cannot contain a newline (see KEY_ID_PATTERN), so header and context cannot be confused. */
function associatedData(header: string, context: string): Buffer {
  return Buffer.from(`${header}\n${context}`, 'utf8');
}
