import { startWorker, type RunningWorker } from '../worker/start-worker.ts';
import { LogCapture } from './log-capture.ts';
import type { SyncStage } from './sync-stage.ts';

export interface TestWorker extends RunningWorker {
  log: LogCapture;
}

const started: TestWorker[] = [];

/**
 * A worker in this process on the stage's clock, tables and simulator, as
 * `npm run worker` builds it (`startWorker`), its log lines captured and its
 * Dexcom answers tapped for the tokens they carry. Stopped by `stopTestWorkers()`.
 */
export async function startTestWorker(stage: SyncStage, id: string, env: Record<string, string> = {}): Promise<TestWorker> {
  const log = new LogCapture();
  const running = await startWorker(
    { ...stage.env, WORKER_ID: id, ...env },
    { clock: stage.clock, logDestination: log, fetch: stage.tap.fetch() },
  );
  const worker = { ...running, log };
  started.push(worker);
  return worker;
}

export async function stopTestWorkers(): Promise<void> {
  await Promise.all(started.splice(0).map((worker) => worker.stop()));
}

/** A counter's value in a worker's registry (0 when never incremented). */
export async function metricValue(worker: RunningWorker, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await worker.metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted));
  return match?.value ?? 0;
}
