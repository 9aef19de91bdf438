/*
 * A script of this repository run as its own Node process, the way
 * `npm run worker` runs one (node with tsx and the source condition), with
 * its output read line by line. For the tests (CommonJS under Jest) and the
 * benchmark (ES modules under tsx) alike: each passes the workspace root it
 * found its own way.
 */
import { spawn, type ChildProcessByStdio, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Starts `script` (a path from `root`, the workspace root) in `root` with `env` over this process's
 * environment; with `ipc`, also over an IPC channel, as the API starts the worker under `npm start`.
 */
export function spawnSourceScript(root: string, script: string, env: Record<string, string>, options: { ipc?: boolean } = {}): ChildProcessByStdio<null, Readable, Readable> {
  const inherited = { ...process.env };
  // Nx sets FORCE_COLOR; beside NO_COLOR it makes Node warn on stderr.
  delete inherited['FORCE_COLOR'];
  const stdio: StdioOptions = options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@vitals/source', script], {
    cwd: root,
    stdio,
    env: { ...inherited, NO_COLOR: '1', NODE_NO_WARNINGS: '1', TSX_TSCONFIG_PATH: 'tsconfig.base.json', ...env },
  }) as ChildProcessByStdio<null, Readable, Readable>;
}

/** Calls `onLine` with each whole line `stream` writes, as it arrives. */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
