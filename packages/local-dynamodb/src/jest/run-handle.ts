import type { LocalDynamoDB } from '../local-dynamodb.ts';

/* Jest runs globalSetup and globalTeardown in one process and shares only its globals between them. */
const HANDLE = Symbol.for('@vitals/local-dynamodb/jest-run');
const store = globalThis as unknown as Record<symbol, LocalDynamoDB | undefined>;

export function keepRunHandle(local: LocalDynamoDB): void {
  store[HANDLE] = local;
}

export function takeRunHandle(): LocalDynamoDB | undefined {
  const local = store[HANDLE];
  store[HANDLE] = undefined;
  return local;
}
