/*
 * The parent side of the load generator: autocannon runs in a child process
 * of its own (load-generator.ts), so the client's work never shares the event
 * loop of the servers it measures. One child serves every run, in turn.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface LoadRequest {
  id: number;
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  id: number;
  /** Responses received (any status). */
  requests: number;
  /** Seconds, as autocannon measured the run. */
  duration_s: number;
  /** autocannon's mean of its per-second request counts. */
  requests_per_s_mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Every response time of the run, in ms (autocannon's `response` events, hrtime precision). */
  latencies_ms: number[];
}

export interface LoadGenerator {
  /** The child process's id, to read its CPU time. */
  readonly pid: number | undefined;
  run(request: Omit<LoadRequest, 'id'>): Promise<LoadResult>;
  /** Ends the child process. Idempotent. */
  stop(): Promise<void>;
}

export function startLoadGenerator(): LoadGenerator {
  // The child inherits this process's tsx loader flags (execArgv), which lets it run TypeScript; no profiler flags.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--cpu-prof') && !flag.startsWith('--inspect'));
  const child: ChildProcess = fork(new URL('./load-generator.ts', import.meta.url), [], { execArgv, stdio: 'inherit' });
  const exited = once(child, 'exit');
  let next = 0;
  const pending = new Map<number, { resolve: (result: LoadResult) => void; reject: (error: Error) => void }>();
  child.on('message', (message: LoadResult | { id: number; error: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if ('error' in message) waiter?.reject(new Error(`load generator: ${message.error}`));
    else waiter?.resolve(message);
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid,
    run: (request) =>
      new Promise<LoadResult>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        child.send({ ...request, id } satisfies LoadRequest);
      }),
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
      })()),
  };
}
