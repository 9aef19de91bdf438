import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root: the worker runs from its sources, as `npm run worker` does. */
const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const STOP_GRACE_MS = 15_000;

export interface DevelopmentWorker {
  /** SIGTERM, then SIGKILL after 15 s; resolves once it is gone. Idempotent. */
  stop(): Promise<void>;
}

/**
 * One sync worker (`apps/sync-worker`) as a child process, with `env` over
 * this process's environment; each line it prints is announced with a
 * `[worker]` prefix. It stops with `stop()`, or by itself when this process
 * is gone; if it dies on its own, that is announced and the API keeps serving.
 */
export function startDevelopmentWorker(env: Record<string, string>, announce: (line: string) => void): DevelopmentWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@vitals/source', join('apps', 'sync-worker', 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', ...env },
    // The IPC channel tells the worker when this process is gone, even killed with SIGKILL: it then stops too.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null) createInterface({ input: stream }).on('line', (line) => announce(`[worker] ${line}`));
  }
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) announce(`[worker] exited (${signal ?? `code ${code}`}); the API goes on without it`);
  });
  let stopped: Promise<void> | undefined;
  return { stop: () => (stopped ??= stopChild(child, () => (stopping = true))) };
}

async function stopChild(child: ChildProcess, markStopping: () => void): Promise<void> {
  markStopping();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
