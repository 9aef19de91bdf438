/*
 * The benchmark's figures: items/s per contender over its rounds, the
 * ratios, and where the CPU went — written to bench-results/sync-worker.json
 * and printed as a table.
 */
import { round } from '@vitals/local-dynamodb';

/** One contender's run: the readings stored, how long the work took, and what it cost each process. */
export interface Measured {
  elapsed_ms: number;
  items: number;
  items_per_s: number;
  /** CPU ms per 1,000 readings stored, by process (null where /proc does not tell). */
  cpu_ms_per_1000: { dynamodb: number | null; workers: number | null; bench_process: number };
  /** Worker runs: how far apart the loops started, the jobs each process did, what its metrics say. */
  details?: Record<string, unknown>;
}

export type Contender = 'raw' | 'worker_1' | 'worker_2' | 'raw_read_first' | 'raw_process';

export interface CpuFigures {
  dynamodb: number | null;
  workers: number | null;
  bench_process: number;
  total: number | null;
}

function mean(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;
  return round(values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / values.length, 1);
}

/** Readings per second over all of a contender's rounds, and its mean CPU per 1,000 readings. */
export function summarize(runs: readonly Measured[]): { items_per_s: number; cpu_ms_per_1000: CpuFigures; rounds: readonly Measured[] } {
  const items = runs.reduce((sum, run) => sum + run.items, 0);
  const elapsed = runs.reduce((sum, run) => sum + run.elapsed_ms, 0);
  const dynamodb = mean(runs.map((run) => run.cpu_ms_per_1000.dynamodb));
  const workers = mean(runs.map((run) => run.cpu_ms_per_1000.workers));
  const bench = mean(runs.map((run) => run.cpu_ms_per_1000.bench_process)) as number;
  const total = dynamodb === null ? null : round(dynamodb + (workers ?? 0) + bench, 1);
  return { items_per_s: Math.round((items / elapsed) * 1_000), cpu_ms_per_1000: { dynamodb, workers, bench_process: bench, total }, rounds: runs };
}

type Summary = ReturnType<typeof summarize>;

/**
 * Where worker_1 spends more than the raw loop, per 1,000 readings. The raw
 * loop runs in this process beside the simulator, so its own CPU is this
 * process's minus what serving the simulator alone cost it during worker_1.
 */
export function analyse(summary: Record<Contender, Summary>) {
  const raw = summary.raw.cpu_ms_per_1000;
  const worker = summary.worker_1.cpu_ms_per_1000;
  const readFirst = summary.raw_read_first.cpu_ms_per_1000;
  const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 1));
  const rawClient = round(raw.bench_process - worker.bench_process, 1);
  return {
    raw_loop_client_cpu_ms_per_1000: rawClient,
    simulator_cpu_ms_per_1000: worker.bench_process,
    worker_1_extra_cpu_ms_per_1000_vs_raw: {
      dynamodb: difference(worker.dynamodb, raw.dynamodb),
      dynamodb_read_before_write: difference(readFirst.dynamodb, raw.dynamodb),
      worker_process: difference(worker.workers, rawClient),
    },
    // When the cores are the limit (DynamoDB Local, the worker and the simulator share them), items/s go as 1 / total CPU per item.
    cores_bound_ratio_worker_1_vs_raw: raw.total === null || worker.total === null ? null : round(raw.total / worker.total),
    // When one process's event loop is the limit (DynamoDB elsewhere, as in production): the worker's CPU against the loop's.
    event_loop_bound_ratio_worker_1_vs_raw: worker.workers === null ? null : round(rawClient / worker.workers),
  };
}

/** A job's (for the loop, a user's) time from start to end: the run's elapsed time × the jobs in flight ÷ the jobs. */
export function jobTime(list: readonly Measured[], inFlight: number, jobs: number): number {
  return Math.round(((list.reduce((sum, run) => sum + run.elapsed_ms, 0) / list.length) * inFlight) / jobs);
}

type StepTimes = Record<string, { calls: number; ms: number }>;

/** The workers' DynamoDB time per job by operation (`details.dynamodb_ms_per_job`), averaged over the rounds. */
export function meanStepTimes(list: readonly Measured[]): StepTimes {
  const sums = new Map<string, { calls: number; ms: number }>();
  for (const run of list) {
    for (const [key, step] of Object.entries((run.details?.['dynamodb_ms_per_job'] ?? {}) as StepTimes)) {
      const sum = sums.get(key) ?? { calls: 0, ms: 0 };
      sums.set(key, { calls: sum.calls + step.calls / list.length, ms: sum.ms + step.ms / list.length });
    }
  }
  return Object.fromEntries([...sums].map(([key, { calls, ms }]) => [key, { calls: round(calls, 2), ms: round(ms, 1) }]));
}

export function ratiosByRound(runs: Record<Contender, readonly Measured[]>, a: Contender, b: Contender): number[] {
  return runs[a].map((run, index) => round(run.items_per_s / (runs[b][index] as Measured).items_per_s));
}

const LABELS: Record<Contender, (concurrency: number) => string> = {
  raw: (concurrency) => `raw loop (fetch + BatchWrite), ${concurrency} at once`,
  worker_1: (concurrency) => `1 worker process, concurrency ${concurrency}`,
  worker_2: (concurrency) => `2 worker processes, ${concurrency} each`,
  raw_read_first: () => 'raw loop + BatchGet before write',
  raw_process: (concurrency) => `raw loop in its own process, ${concurrency} at once`,
};

const pad = (value: unknown, width: number) => String(value ?? 'n/a').padStart(width);

export function printTable(summary: Record<Contender, Summary>, concurrency: number): void {
  console.log(`${'contender'.padEnd(44)}${pad('items/s', 8)}${pad('× raw', 8)}   CPU ms / 1,000 readings: ${pad('DynamoDB', 9)}${pad('worker', 8)}${pad('bench', 7)}${pad('total', 7)}`);
  for (const name of Object.keys(LABELS) as Contender[]) {
    const { items_per_s, cpu_ms_per_1000: cpu } = summary[name];
    console.log(
      `${LABELS[name](concurrency).padEnd(44)}${pad(items_per_s, 8)}${pad(`${(items_per_s / summary.raw.items_per_s).toFixed(3)}`, 8)}` +
        `${' '.repeat(28)}${pad(cpu.dynamodb, 9)}${pad(cpu.workers, 8)}${pad(cpu.bench_process, 7)}${pad(cpu.total, 7)}`,
    );
  }
}
