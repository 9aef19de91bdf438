import { VitalsError, type Key } from '@vitals/dynamodb-core';

/** Why a stored token ciphertext could not be opened. */
export type TokenDecryptionFailure =
  /** Not a ciphertext this library wrote (wrong shape, bad encoding, wrong IV or tag length). */
  | 'malformed'
  /** Written with a key id that is not in the key ring: a retired key was dropped too early. */
  | 'unknownKey'
  /** GCM authentication failed: altered, copied from another item or field, or the key under that id changed. */
  | 'authenticationFailed';

/** Error codes of the user-token repository, added to the one VitalsError family. */
declare module '@vitals/dynamodb-core' {
  interface VitalsErrorDetailsByCode {
    /**
     * A stored token could not be decrypted. Carries where and why, never
     * token text, ciphertext or key material.
     */
    'repository.decryptionFailed': {
      reason: TokenDecryptionFailure;
      /** The key id the ciphertext names, when it names one. */
      key_id?: string;
      entity?: string;
      key?: Key;
      field?: 'access_token' | 'refresh_token';
    };
  }
}

/**
 * A `repository.decryptionFailed` from the cipher, which sees only a
 * ciphertext, placed at the item and field the ciphertext was read from.
 */
export function decryptionFailedAt(
  error: VitalsError<'repository.decryptionFailed'>,
  entity: string,
  key: Key,
  field: 'access_token' | 'refresh_token',
): VitalsError<'repository.decryptionFailed'> {
  return new VitalsError(
    'repository.decryptionFailed',
    `${entity} ${JSON.stringify(key)} ${field}: ${error.message}`,
    { ...error.details, entity, key, field },
    { cause: error },
  );
}
