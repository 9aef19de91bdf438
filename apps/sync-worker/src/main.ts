import { VitalsError, synchronousStandardOutput } from '@vitals/dynamodb-core';
import { JavaRequiredError, PortInUseError } from '@vitals/local-dynamodb';
import { startWorker } from './worker/start-worker.ts';

/*
 * `npm run worker`: the sync worker, until SIGTERM or SIGINT, which stop the
 * claiming, let the jobs in flight finish (or give them back past the grace)
 * and exit 0. Several may run at once against one table. Started by
 * `npm start` (with an IPC channel), it also stops when that process is gone.
 */
/** How long a worker whose starter died gets to finish before it exits anyway. */
const PARENT_GONE_EXIT_MS = 15_000;

/** Set once the worker runs: how a signal or the end of the starter stops it. */
let stopRunning: ((reason: string) => void) | undefined;

// Started by `npm start` with an IPC channel: the channel closes when that process is gone, however it ended —
// also while this worker is still starting. Its DynamoDB Local and output pipe may be gone with it: past the
// stop's grace, exit rather than wait.
// A starter that died while this process was still loading closed the channel before anyone listened.
if (process.send !== undefined && !process.connected) process.exit(1);
if (process.connected) {
  process.once('disconnect', () => {
    setTimeout(() => process.exit(1), PARENT_GONE_EXIT_MS).unref();
    if (stopRunning === undefined) process.exit(1);
    stopRunning('the process that started this worker is gone');
  });
}

try {
  // Synchronous: with the starter gone, its pipe is broken, and buffered lines would hold the exit for ever.
  const running = await startWorker(process.env, { logDestination: synchronousStandardOutput() });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: no more claims; finishing or releasing the jobs in flight, then stopping`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      },
    );
  };
  stopRunning = stop;
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  console.error(startFailure(error));
  process.exit(1);
}

/** Configuration and start-up failures are one clear message saying what to do, not a stack. */
function startFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (code === 'EADDRINUSE') {
    return `port ${port} is in use on ${address}: stop what holds it (another worker?), or set WORKER_HTTP_PORT to a free port (0: any)`;
  }
  const known = VitalsError.is(error, 'config.invalid') || error instanceof JavaRequiredError || error instanceof PortInUseError;
  return known ? error.message : (error.stack ?? error.message);
}
