/** Latency and throughput figures of one contender in a benchmark case. */
export interface Figures {
  samples: number;
  p50_ms: number;
  p99_ms: number;
  ops_per_s: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function figures(latenciesMs: readonly number[]): Figures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    ops_per_s: round((sorted.length / total) * 1_000),
  };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Runs the contenders in turn, one call each per round, so that drift in the
 * machine or in DynamoDB Local affects all of them alike.
 */
export async function interleaved(
  rounds: number,
  contenders: Record<string, (round: number) => Promise<unknown>>,
): Promise<Record<string, number[]>> {
  const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const entries = Object.entries(contenders);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? entries : [...entries].reverse();
    for (const [name, run] of order) latencies[name].push(await time(() => run(round)));
  }
  return latencies;
}
