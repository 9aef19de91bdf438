import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { spawnSourceScript } from './source-script.ts';

/** The workspace root, where `npm run worker` runs. */
export const root = resolve(__dirname, '../../../..');

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** Everything it wrote, stdout and stderr. */
  output(): string;
  /** Its JSON log lines so far. */
  logs(): Record<string, unknown>[];
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Where its `/healthz` and `/metrics` answer, once it logged it. */
  url(): string | undefined;
}

/**
 * `npm run worker`'s command (node with tsx and the source condition), run
 * directly so that a signal reaches the worker itself, with `env` over the
 * test's environment and `WORKER_ID` = `id`.
 */
export function spawnWorker(id: string, env: Record<string, string>): WorkerProcess {
  const child = spawnSourceScript(root, 'apps/sync-worker/src/main.ts', { ...env, WORKER_ID: id });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logs = () =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    id,
    child,
    output: () => text,
    logs,
    exited: once(child, 'exit') as WorkerProcess['exited'],
    url: () => logs().find((record) => typeof record['url'] === 'string' && record['msg'] === 'sync worker listening for /healthz and /metrics')?.['url'] as string | undefined,
  };
}

/** SIGKILLs whatever of `workers` still runs. */
export function killAll(workers: readonly WorkerProcess[]): void {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  }
}
