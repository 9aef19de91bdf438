import { VitalsError } from '@vitals/dynamodb-core';

/** The VitalsError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<VitalsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VitalsError);
  return error as VitalsError;
}
