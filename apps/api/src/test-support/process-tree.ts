import { dynamoDBLocalProcesses, isPortOpen, processes, type ProcessInfo } from '@vitals/local-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/** The workspace root, where `npm start` and `npm run migrate` run. */
export const root = resolve(__dirname, '../../../..');

/** The processes below `pid` (children, grandchildren, …). */
export function descendants(pid: number, table = processes()): ProcessInfo[] {
  const below: ProcessInfo[] = [];
  let level = [pid];
  while (level.length > 0) {
    const next = table.filter((process) => level.includes(process.ppid));
    below.push(...next);
    level = next.map((process) => process.pid);
  }
  return below;
}

/** DynamoDB Local JVMs serving `port`, whoever their parent is now (an orphan's is init). */
export const javaOnPort = dynamoDBLocalProcesses;

/** Polls `probe` every 100 ms until it holds; false when `timeoutMs` passes first. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Nothing listens on either port and no DynamoDB Local JVM is left on `dynamoPort`. */
export async function treeGone(apiPort: number, dynamoPort: number): Promise<boolean> {
  return (
    !(await isPortOpen('127.0.0.1', apiPort)) && !(await isPortOpen('127.0.0.1', dynamoPort)) && javaOnPort(dynamoPort).length === 0
  );
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** `npm start` exactly as the README gives it, in its own process group (as a terminal runs it). */
export function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The development stack's simulator and worker take free ports, so that specs running at once do not collide,
    // and demo's backfill is one day, not 90: these specs are about processes, not about syncing.
    env: { ...process.env, NODE_NO_WARNINGS: '1', DEXCOM_SIMULATOR_PORT: '0', WORKER_HTTP_PORT: '0', SYNC_BACKFILL_DAYS: '1', ...env },
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { child, output: () => text, exited: once(child, 'exit') as Started['exited'] };
}

/** Polls `probe` until it gives a value; fails with the output when the process ends or the deadline passes first. */
export async function waitFor<T>(what: string, probe: () => T | undefined, started: Started, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (started.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${what} did not happen; output:\n${started.output()}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Ends whatever a test left running: the process group of `npm start` and any
 * JVM on the test's DynamoDB port (an orphan has left the group's tree, not the group).
 */
export function killLeftovers(started: Started | undefined, dynamoPort: number): void {
  if (started?.child.pid !== undefined) {
    try {
      process.kill(-started.child.pid, 'SIGKILL');
    } catch {
      // The group is already empty.
    }
  }
  for (const java of javaOnPort(dynamoPort)) {
    try {
      process.kill(java.pid, 'SIGKILL');
    } catch {
      // It ended meanwhile.
    }
  }
}
