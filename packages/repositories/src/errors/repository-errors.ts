import type { Key } from '@vitals/dynamodb-core';

/** Error codes of @vitals/repositories, added to the one VitalsError family. */
declare module '@vitals/dynamodb-core' {
  interface VitalsErrorDetailsByCode {
    /** A pagination cursor that is malformed, tampered with, or from another query. */
    'repository.invalidCursor': { reason: 'malformed' | 'tampered' | 'foreign' };
    /** Optimistic locking: the item changed (or appeared, or vanished) since it was read. */
    'repository.conflict': {
      entity: string;
      key: Key;
      expected_version?: number;
      actual_version?: number;
    };
    /** The item an operation needs does not exist. */
    'repository.notFound': { entity: string; key: Key };
    /** A stored item failed its schema while strict mode was asked. */
    'repository.invalidItem': { entity: string; key: Key; issues: string[] };
    /** Input to a repository failed validation. */
    'repository.invalidInput': { entity: string; issues: { path: string; message: string }[] };
    /** A state change the entity's life cycle does not allow (e.g. completing a cancelled job). */
    'repository.invalidTransition': { entity: string; key: Key; from: string; to: string };
  }
}

export {};
