import { VitalsError, type Logger } from '@vitals/dynamodb-core';
import type { UserTokenInput } from '@vitals/models';
import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { TokenKeyRing } from '../user-token/token-cipher.ts';

export const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
export const ringA: TokenKeyRing = { current_key_id: 'key-a', keys: { 'key-a': keyA } };
export const ringBWithA: TokenKeyRing = { current_key_id: 'key-b', keys: { 'key-a': keyA, 'key-b': keyB } };
export const ringBOnly: TokenKeyRing = { current_key_id: 'key-b', keys: { 'key-b': keyB } };

/** A token set whose secrets are unique to this call, so a leak can be searched for. */
export function tokens(overrides: Partial<UserTokenInput> = {}): UserTokenInput {
  const id = randomUUID();
  return {
    access_token: `at-${id}-SECRET`,
    refresh_token: `rt-${id}-SECRET`,
    token_type: 'Bearer',
    scope: 'offline_access egv',
    expires_at: 1_780_000_000,
    ...overrides,
  };
}

/** Every way a token could show up in text: as is and in the usual binary-to-text encodings. */
function tokenForms(...sets: UserTokenInput[]): string[] {
  return sets
    .flatMap((set) => [set.access_token, set.refresh_token])
    .flatMap((token) => [token, ...(['base64', 'base64url', 'hex'] as const).map((encoding) => Buffer.from(token).toString(encoding))]);
}

export function expectNoTokenIn(text: string, ...sets: UserTokenInput[]): void {
  for (const form of tokenForms(...sets)) expect(text).not.toContain(form);
}

/** A Logger that keeps every record, bindings and fields included. */
export function recordingLogger(): Logger & { records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: string) => (fields: object, message?: string) => {
      records.push({ level, ...bindings, ...fields, message });
    };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return Object.assign(make({}), { records });
}

export async function failureOf(promise: Promise<unknown>): Promise<VitalsError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof VitalsError) return outcome;
  throw new Error(`expected a VitalsError, got ${inspect(outcome)}`);
}

/** The same sealed token with one bit of its ciphertext flipped. */
export function flipBit(sealed: string): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[3] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  parts[3] = bytes.toString('base64url');
  return parts.join('.');
}
