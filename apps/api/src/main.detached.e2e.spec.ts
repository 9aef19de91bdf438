import { findFreePort, testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { eventually, root } from './test-support/process-tree.ts';
import { TEST_JWT_SECRET } from './test-support/test-api.ts';

jest.setTimeout(120_000);

/** Whether the API on `port` answers its liveness probe. */
async function alive(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/*
 * Outside `npm start`, a launcher that starts the API and exits (a wrapper
 * script, a double-forking service manager) is no reason to stop: only the
 * npm that `npm start` runs under is watched.
 */
describe('the API started by a launcher that exits at once', () => {
  let pid: number | undefined;
  afterEach(() => {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  });

  it('keeps serving once it has been re-parented', async () => {
    const port = await findFreePort();
    // The environment of a service, not of an npm script: no npm_* variables.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
    // The launcher prints the API's pid, then stays until told to go (a line on its stdin): the API is up by then.
    const launcher = spawn('sh', ['-c', 'node --import tsx --conditions=@vitals/source apps/api/src/main.ts >/dev/null 2>&1 & echo $!; read done'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...env,
        TSX_TSCONFIG_PATH: 'tsconfig.base.json',
        NODE_NO_WARNINGS: '1',
        PORT: String(port),
        DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
        TABLE_PREFIX: `detached-${randomUUID().slice(0, 8)}-`,
        API_JWT_SECRET: TEST_JWT_SECRET,
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        // The development simulator and worker it starts beside it: free ports, not the developer's.
        DEXCOM_SIMULATOR_PORT: '0',
        WORKER_HTTP_PORT: '0',
        SYNC_BACKFILL_DAYS: '1',
      },
    });
    let printed = '';
    launcher.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    expect(await eventually(() => printed.includes('\n'), 10_000)).toBe(true);
    pid = Number(printed.trim());
    expect(pid).toBeGreaterThan(1);
    expect(await eventually(() => alive(port), 60_000)).toBe(true);

    const gone = once(launcher, 'exit');
    launcher.stdin?.end('go\n');
    await gone;
    // The watch looks every 250 ms; eight looks later the API must still be serving.
    await new Promise((done) => setTimeout(done, 2_000));
    expect(await alive(port)).toBe(true);
  });
});
