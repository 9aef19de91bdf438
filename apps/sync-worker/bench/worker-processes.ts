/*
 * The worker as it runs in production: `npm run worker`'s command (node with
 * tsx and the source condition) as separate processes, told everything by
 * environment variables. Their JSON log lines say when each loop started and
 * when each job completed (pino's `time`, this machine's clock), so the
 * bench times the work from the processes' own lines, with nothing polling
 * DynamoDB meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { eachLine, spawnSourceScript } from '../src/test-support/source-script.ts';

/** The workspace root, where `npm run worker` runs. */
export const root = resolve(import.meta.dirname, '../../..');

export interface LogLine {
  level?: number;
  time?: number;
  msg?: string;
  [field: string]: unknown;
}

export interface WorkerProcess {
  id: string;
  child: ChildProcess;
  /** When its loop started (`sync worker started`), epoch ms. */
  startedAt?: number;
  url?: string;
  /** `time` each job it completed was completed, by job id. */
  completedAt: Map<string, number>;
  /** Lines at warn level or above: a clean run has none. */
  problems: LogLine[];
  /** Each DynamoDB operation's calls and their summed duration (ms) as its `… done` lines report them, by operation and table. */
  operations: Map<string, { calls: number; ms: number }>;
  output(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Spawns a worker with `env` over this process's environment and `WORKER_ID` = `id`. */
export function spawnWorker(id: string, env: Record<string, string>, onLine: (record: LogLine) => void): WorkerProcess {
  const child = spawnSourceScript(root, 'apps/sync-worker/src/main.ts', { ...env, WORKER_ID: id });
  const prefix = env['TABLE_PREFIX'] ?? '';
  let text = '';
  const worker: WorkerProcess = {
    id,
    child,
    completedAt: new Map(),
    problems: [],
    operations: new Map(),
    output: () => text,
    exited: once(child, 'exit') as WorkerProcess['exited'],
  };
  const read = (line: string): LogLine | undefined => {
    if (!line.startsWith('{')) return undefined;
    const record = JSON.parse(line) as LogLine;
    if ((record.level ?? 0) >= 40) worker.problems.push(record);
    if (record.msg === 'sync worker started') {
      worker.startedAt = record.time;
    } else if (record.msg === 'sync worker listening for /healthz and /metrics') {
      worker.url = String(record['url']);
    } else if (typeof record['operation'] === 'string' && typeof record['duration_ms'] === 'number') {
      const table = typeof record['table'] === 'string' ? ` ${record['table'].slice(prefix.length)}` : '';
      const key = `${record['operation']}${table}`;
      const sum = worker.operations.get(key) ?? { calls: 0, ms: 0 };
      sum.calls++;
      sum.ms += record['duration_ms'];
      worker.operations.set(key, sum);
    } else if (record.msg === 'sync job completed' && 'chunks' in record && typeof record.time === 'number') {
      // The run's own line (the repository logs one by the same name, without `chunks`).
      worker.completedAt.set(String(record['job_id']), record.time);
    }
    return record;
  };
  eachLine(child.stdout, (line) => {
    text += `${line}\n`;
    const record = read(line);
    if (record !== undefined) onLine(record);
  });
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return worker;
}

/**
 * Starts `count` workers and resolves once they have completed `jobs` jobs
 * between them (and each has said where its /metrics answer); rejects when
 * one exits first or `timeoutMs` passes, with the tail of their output.
 * `onLine` is called with every log line of every worker, as it is read,
 * and the workers.
 */
export async function runWorkers(
  count: number,
  env: Record<string, string>,
  jobs: number,
  options: { timeoutMs: number; onLine?: (record: LogLine, workers: readonly WorkerProcess[]) => void },
): Promise<WorkerProcess[]> {
  const { timeoutMs } = options;
  let check: () => void = () => undefined;
  let workers: WorkerProcess[] = [];
  const onLine = (record: LogLine) => {
    options.onLine?.(record, workers);
    check();
  };
  workers = Array.from({ length: count }, (_, index) => spawnWorker(`bench-worker-${index}`, env, onLine));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the workers completed ${completedBy(workers)} of ${jobs} jobs in ${timeoutMs} ms`)), timeoutMs);
      check = () => {
        if (completedBy(workers) >= jobs && workers.every((worker) => worker.url !== undefined)) {
          clearTimeout(timer);
          done();
        }
      };
      for (const worker of workers) {
        void worker.exited.then(([code, signal]) => {
          clearTimeout(timer);
          fail(new Error(`worker ${worker.id} exited (${code ?? signal}) before the jobs were done`));
        });
      }
    });
  } catch (error) {
    for (const worker of workers) worker.child.kill('SIGKILL');
    const tails = workers.map((worker) => `--- ${worker.id}\n${worker.output().split('\n').slice(-15).join('\n')}`);
    throw new Error(`${(error as Error).message}\n${tails.join('\n')}`, { cause: error });
  }
  return workers;
}

/** SIGTERM, as a deployment stops a worker; resolves when all have exited, rejecting unless each exited 0. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) worker.child.kill('SIGTERM');
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  const bad = exits.flatMap(([code, signal], index) => (code === 0 ? [] : [`${workers[index]?.id}: ${code ?? signal}`]));
  if (bad.length > 0) throw new Error(`workers did not stop cleanly: ${bad.join(', ')}`);
}

/** Kills whatever of `workers` still runs (cleanup after a failure). */
export function killWorkers(workers: readonly WorkerProcess[]): void {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
}

export function completedBy(workers: readonly WorkerProcess[]): number {
  return workers.reduce((sum, worker) => sum + worker.completedAt.size, 0);
}

/**
 * Where a job's time goes on the DynamoDB side, from the workers' own `… done` lines: each operation's calls and
 * milliseconds per job (wall time, overlapping across the jobs in flight), the ones most jobs make, longest first.
 */
export function operationTimesPerJob(workers: readonly WorkerProcess[], jobs: number): Record<string, { calls: number; ms: number }> {
  const sums = new Map<string, { calls: number; ms: number }>();
  for (const worker of workers) {
    for (const [key, { calls, ms }] of worker.operations) {
      const sum = sums.get(key) ?? { calls: 0, ms: 0 };
      sums.set(key, { calls: sum.calls + calls, ms: sum.ms + ms });
    }
  }
  const perJob = [...sums]
    .filter(([, { calls }]) => calls >= jobs / 2)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([key, { calls, ms }]) => [key, { calls: Math.round((calls / jobs) * 100) / 100, ms: Math.round((ms / jobs) * 10) / 10 }] as const);
  return Object.fromEntries(perJob);
}

/** A Prometheus text exposition's samples of `name`, summed over their labels (those matching `labels`, when given). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
