/*
 * Starts the worker as the API does under `npm start` — over an IPC channel,
 * its output read through pipes and passed on — after printing its pid. A
 * test SIGKILLs this process to leave the worker with no channel and broken
 * pipes. Run from the workspace root, with the worker's environment.
 */
import { spawnSourceScript } from './source-script.ts';

const worker = spawnSourceScript(process.cwd(), 'apps/sync-worker/src/main.ts', {}, { ipc: true });
process.stdout.write(`worker pid ${worker.pid}\n`);
worker.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
worker.stderr.on('data', (chunk: Buffer) => process.stdout.write(chunk));
