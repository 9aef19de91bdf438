import { VitalsError } from '@vitals/dynamodb-core';
import { JavaRequiredError } from '@vitals/local-dynamodb';
import { startServer } from './server.ts';

/*
 * `npm start`: the API on an embedded, persisted DynamoDB Local (or the
 * DynamoDB the environment names), stopped gracefully by SIGINT/SIGTERM.
 */
try {
  const server = await startServer(process.env, { announce: (line) => console.log(line) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  // Configuration and start-up failures are one clear message, not a stack.
  const known = VitalsError.is(error, 'config.invalid') || error instanceof JavaRequiredError;
  console.error(known || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : error.stack);
  process.exit(1);
}
