/*
 * The raw loop in a process of its own, as each worker runs in its own
 * (`raw-sync.ts` is the loop). Spawned by the benchmark with its work as JSON
 * in `RAW_SYNC_WORK`; first syncs the warm-up users (as a worker process syncs
 * its warm-up jobs before it is timed), then prints one `timed` line, syncs
 * the timed users, and prints one `done` line with the time, the readings
 * written per user and its own CPU over the timed part, each as JSON on
 * stdout. Any other output is kept for the error a failed child raises.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from 'node:events';
import { eachLine, spawnSourceScript } from '../src/test-support/source-script.ts';
import { ownCpuMs } from './process-cpu.ts';
import { rawSync, type RawUser } from './raw-sync.ts';
import { root } from './worker-processes.ts';

export interface RawProcessWork {
  endpoint: string;
  table: string;
  dexcomUrl: string;
  window: { start: string; end: string };
  concurrency: number;
  warmup: RawUser[];
  users: RawUser[];
}

export interface RawProcessResult {
  elapsed_ms: number;
  /** Readings written per timed user, in `users`' order. */
  written: number[];
  /** The child's own CPU over the timed part, ms. */
  cpu_ms: number;
}

/** Runs `work` in a child process; `onTimed` is called the moment the child starts its timed part. */
export async function spawnRawLoop(work: RawProcessWork, onTimed: () => void): Promise<RawProcessResult> {
  const child = spawnSourceScript(root, 'apps/sync-worker/bench/raw-process.ts', { RAW_SYNC_WORK: JSON.stringify(work) });
  let output = '';
  let result: RawProcessResult | undefined;
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  eachLine(child.stdout, (line) => {
    output += `${line}\n`;
    if (!line.startsWith('{')) return;
    const record = JSON.parse(line) as { event: string } & Partial<RawProcessResult>;
    if (record.event === 'timed') onTimed();
    if (record.event === 'done') result = record as RawProcessResult;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0 || result === undefined) throw new Error(`raw loop process exited (${code ?? signal}) without a result:\n${output.slice(-2_000)}`);
  return result;
}

async function childMain(work: RawProcessWork): Promise<void> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: work.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const document = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const options = {
    document,
    table: work.table,
    dexcomUrl: work.dexcomUrl,
    window: { start: new Date(work.window.start), end: new Date(work.window.end) },
    concurrency: work.concurrency,
  };
  await rawSync(work.warmup, options);
  const cpuBefore = ownCpuMs();
  const began = performance.now();
  console.log(JSON.stringify({ event: 'timed' }));
  const written = await rawSync(work.users, options);
  const elapsed = performance.now() - began;
  const result: RawProcessResult = { elapsed_ms: Math.round(elapsed), written, cpu_ms: Math.round(ownCpuMs() - cpuBefore) };
  console.log(JSON.stringify({ event: 'done', ...result }));
  client.destroy();
}

const work = process.env['RAW_SYNC_WORK'];
if (work !== undefined) await childMain(JSON.parse(work) as RawProcessWork);
