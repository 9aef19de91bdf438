import { PROVIDER, type SyncStage } from './sync-stage.ts';
import { linesHolding } from './log-capture.ts';
import type { TestWorker } from './test-worker.ts';

/**
 * Every place a token must never be — each log line of the workers, the
 * user's jobs and connection as stored, the metrics — searched for every
 * token the simulator issued in this stage. Resolves what was found.
 */
export async function leakedTokens(stage: SyncStage, workers: readonly TestWorker[], logins: readonly string[]): Promise<string[]> {
  const tokens = stage.tap.tokens;
  if (tokens.length === 0) throw new Error('the tap saw no token: this check would prove nothing');
  const records: string[] = [];
  for (const login of logins) {
    records.push(JSON.stringify(await stage.jobsOf(login)), JSON.stringify(await stage.connections.get(login, PROVIDER)));
  }
  const metrics = await Promise.all(workers.map(async (worker) => (await worker.metrics.exposition()).body));
  return linesHolding([...workers.flatMap((worker) => worker.log.lines), ...records, ...metrics], tokens);
}
