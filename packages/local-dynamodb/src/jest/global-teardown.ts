import { takeRunHandle } from './run-handle.ts';

/** Jest globalTeardown: stops the DynamoDB Local of the global setup and waits for the process to exit. */
export default async function globalTeardown(): Promise<void> {
  await takeRunHandle()?.stop();
}
