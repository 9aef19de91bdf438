import { findFreePort } from '@vitals/local-dynamodb';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  descendants,
  eventually,
  javaOnPort,
  killLeftovers,
  npmStart,
  root,
  treeGone,
  waitFor,
  type Started,
} from './test-support/process-tree.ts';

jest.setTimeout(180_000);

/*
 * `npm start` is a tree: npm, the API, the DynamoDB Local the API starts
 * (a JVM) and, in development, a sync worker. Whatever ends the top of it, or
 * kills the API outright, nothing may be left running or holding the ports. Never the default ports: others test on this machine.
 */
describe('npm start (the process tree)', () => {
  let started: Started | undefined;
  let apiPort: number;
  let dynamoPort: number;
  let env: Record<string, string>;

  beforeEach(async () => {
    started = undefined;
    apiPort = await findFreePort();
    dynamoPort = await findFreePort();
    env = {
      VITALS_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'api-tree-')), '.data'),
      PORT: String(apiPort),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
    };
  });

  afterEach(() => killLeftovers(started, dynamoPort));

  /** `npm start` up to the end of its start-up: the API serving, the worker started, `demo` connected to the simulator. */
  const startAndWait = async () => {
    started = npmStart(env);
    const current = started;
    await waitFor('the development token', () => /DEV_TOKEN=\S+/.exec(current.output())?.[0], current);
    const connected = await waitFor('the demo connection', () => /is connected to the Dexcom simulator|Could not connect.*/.exec(current.output())?.[0], current);
    expect(connected).toBe('is connected to the Dexcom simulator');
    expect(javaOnPort(dynamoPort)).toHaveLength(1);
    return current;
  };
  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const workerOf = (current: Started) => {
    const worker = descendants(current.child.pid as number).find((process) => process.args.includes('apps/sync-worker/src/main.ts'));
    expect(worker).toBeDefined();
    return worker?.pid as number;
  };

  // SIGKILL stands for an npm that passes no signal on: the API must notice that npm is gone.
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('when only the npm process gets %s, the API and its DynamoDB Local stop and free both ports', async (signal) => {
    const current = await startAndWait();
    const worker = workerOf(current);
    // `kill -TERM <pid of npm>`: the top process alone, not its process group.
    process.kill(current.child.pid as number, signal);
    await current.exited;
    expect(await eventually(() => treeGone(apiPort, dynamoPort), 30_000)).toBe(true);
    expect(await eventually(() => !isAlive(worker), 30_000)).toBe(true);
  });

  it('when the API process is SIGKILLed, neither its DynamoDB Local nor its development worker outlives it', async () => {
    const current = await startAndWait();
    const api = descendants(current.child.pid as number).filter((process) => process.args.includes('apps/api/src/main.ts'));
    // The deepest one is the API itself (above it may be a shell or a launcher).
    const target = api.find((candidate) => !api.some((other) => other.ppid === candidate.pid));
    expect(target).toBeDefined();
    const worker = workerOf(current);
    process.kill(target?.pid as number, 'SIGKILL');
    expect(await eventually(() => treeGone(apiPort, dynamoPort), 30_000)).toBe(true);
    expect(await eventually(() => !isAlive(worker), 30_000)).toBe(true);
  });

  describe('when a port is taken', () => {
    let holder: Server;
    const sockets = new Set<Socket>();
    afterEach(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((done) => holder.close(() => done()));
    });

    // Something that is not DynamoDB: it answers every connection with a plain web page.
    const hold = (port: number) =>
      new Promise<void>((done, fail) => {
        holder = createServer((socket) => {
          sockets.add(socket);
          socket.on('error', () => undefined).end('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nother');
        });
        holder.once('error', fail);
        holder.listen(port, '127.0.0.1', () => done());
      });

    const startExpectingFailure = async () => {
      started = npmStart(env);
      const [code] = await started.exited;
      expect(code).not.toBe(0);
      const output = started.output();
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('EADDRINUSE');
      return output.split('\n').filter((line) => line.includes(`port ${apiPort}`) || line.includes(`port ${dynamoPort}`));
    };

    it('when the API port is taken, says so in one line naming the port and the fix, and stops its DynamoDB Local', async () => {
      await hold(apiPort);
      const lines = await startExpectingFailure();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`port ${apiPort} .*in use.*PORT`));
      expect(await eventually(() => javaOnPort(dynamoPort).length === 0, 30_000)).toBe(true);
    });

    it('when the DynamoDB Local port is taken by something else, says so in one line naming the port and the fix', async () => {
      await hold(dynamoPort);
      const lines = await startExpectingFailure();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`port ${dynamoPort} is in use.*DYNAMODB_LOCAL_PORT`));
    });
  });

  it('when started on a fresh data directory, applies the table definitions in full: `tables plan` has nothing to do', async () => {
    await startAndWait();
    // The README's command; the CLI reuses the DynamoDB Local that `npm start` runs (same port, same data directory).
    const stdout = await new Promise<string>((done, fail) =>
      execFile(
        'npm',
        ['run', '--silent', 'migrate', '--', 'tables', 'plan', '--json'],
        { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env } },
        (error, out, err) => (error ? fail(new Error(`${error.message}\n${err}`)) : done(out)),
      ),
    );
    expect((JSON.parse(stdout) as { details: { actions: unknown[] } }).details.actions).toEqual([]);
  });
});
