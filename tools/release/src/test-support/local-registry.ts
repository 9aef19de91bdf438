import { captureTail, findFreePort, terminate } from '@vitals/local-dynamodb';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** An npm user config file holding the registry and the throwaway publish token. */
  userconfig: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const USER = { name: 'vitals-release-test', password: 'throwaway-password-for-a-temp-registry' };

/**
 * Starts Verdaccio on loopback with its storage under `dir`. `@vitals/*` is
 * served only from what is published to it; every other package is fetched
 * from `uplink` (the npm registry) on demand, so a consumer can install from
 * this registry alone. Creates the one user this registry allows and writes
 * its token into `userconfig`.
 */
export async function startLocalRegistry(dir: string, uplink: string): Promise<LocalRegistry> {
  await mkdir(dir, { recursive: true });
  const port = await findFreePort(HOST);
  const url = `http://${HOST}:${port}/`;
  const config = {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1 } },
    uplinks: { npmjs: { url: uplink, timeout: '60s', max_fails: 5 } },
    packages: {
      '@vitals/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated', proxy: 'npmjs' },
    },
    web: { enable: false },
    middlewares: { audit: { enabled: false } },
    log: { type: 'stdout', format: 'json', level: 'warn' },
  };
  // JSON is YAML, which is what Verdaccio reads.
  await writeFile(join(dir, 'config.yaml'), JSON.stringify(config, null, 2));

  const bin = join(dirname(createRequire(__filename).resolve('verdaccio/package.json')), 'bin/verdaccio');
  const child = spawn(process.execPath, [bin, '--config', join(dir, 'config.yaml'), '--listen', `${HOST}:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureTail(child);
  // Verdaccio renames its process, so a leftover one is hard to find: never outlive the test run.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };
  try {
    await waitForPing(url, () => (child.exitCode !== null ? `Verdaccio exited: ${output()}` : undefined));
    const token = await addUser(url);
    const userconfig = join(dir, 'npmrc');
    const authKey = url.replace(/^http:/, '');
    await writeFile(userconfig, `registry=${url}\n${authKey}:_authToken=${token}\n`, { mode: 0o600 });
    return { url, userconfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPing(url: string, exited: () => string | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = exited();
    if (reason) throw new Error(reason);
    const ok = await fetch(`${url}-/ping`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Verdaccio did not answer at ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** npm's `adduser` request: creates the user and answers with a token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:${USER.name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: USER.name, password: USER.password }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`could not create the registry user (${response.status}): ${body.error ?? JSON.stringify(body)}`);
  }
  return body.token;
}
