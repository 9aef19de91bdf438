import { VitalsError } from '@vitals/dynamodb-core';
import { JavaRequiredError, PortInUseError } from '@vitals/local-dynamodb';
import { watchParent } from './process/parent-watch.ts';
import { startStack } from './dev/development-stack.ts';

/*
 * `npm start`: the API on an embedded, persisted DynamoDB Local (or the
 * DynamoDB the environment names) — in development with a sync worker and
 * the Dexcom simulator beside it (dev/development-stack.ts) — stopped
 * gracefully by SIGINT/SIGTERM or, under `npm start`, when npm is gone.
 */
// Taken first: npm may be gone before the server is up (the JVM takes seconds to start).
const parent = process.ppid;
try {
  const stack = await startStack(process.env, { announce: (line) => console.log(line) });
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: finishing requests in flight, then stopping`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Only under `npm start`, whose end is the end of the session; a service launcher may well exit once the API is up.
  if (process.env['npm_lifecycle_event'] === 'start') watchParent(() => stop('npm start ended'), { parent });
} catch (error) {
  console.error(startFailure(error));
  process.exit(1);
}

/** Configuration and start-up failures are one clear line saying what to do, not a stack. */
function startFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (code === 'EADDRINUSE') {
    return `port ${port} is in use on ${address}: stop what holds it (another \`npm start\`?), or set PORT to a free port`;
  }
  const known = VitalsError.is(error, 'config.invalid') || error instanceof JavaRequiredError || error instanceof PortInUseError;
  return known ? error.message : (error.stack ?? error.message);
}
