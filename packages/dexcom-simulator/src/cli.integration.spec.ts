import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run dexcom-simulator`, as the root script runs it. */
function startCli(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@vitals/source', 'packages/dexcom-simulator/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor<T>(what: string, probe: () => T | undefined, child: ChildProcess): Promise<T> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${what}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within 45 s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('the dexcom-simulator command', () => {
  it('prints a banner that says it is not Dexcom, with its URL and the demo user, and stops on SIGTERM', async () => {
    const { child, output } = startCli({ DEXCOM_SIMULATOR_PORT: '0', DEXCOM_SIMULATOR_TIME_ZONE: 'Europe/Berlin' });
    try {
      const url = await waitFor('the base URL', () => /base URL: +(http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1], child);
      expect(output()).toContain('Dexcom simulator — not Dexcom');
      expect(output()).toMatch(/user: +demo \(Europe\/Berlin, iOS, g7/);
      expect(output()).toContain('DEXCOM_CLIENT_ID=vitals-dev');
      const info = (await (await fetch(`${url}/__sim`)).json()) as { name: string; users: { login: string }[] };
      expect(info.name).toBe('Dexcom simulator — not Dexcom');
      expect(info.users.map((user) => user.login)).toEqual(['demo']);
      const login = /login: +(\S+)/.exec(output())?.[1] ?? '';
      const redirected = await fetch(login, { redirect: 'manual' });
      expect(redirected.status).toBe(302);
      expect(redirected.headers.get('location')).toMatch(/\?code=[^&]+&state=example$/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output()).toContain('SIGTERM: stopping the Dexcom simulator');
  });

  it('refuses bad settings in one line', async () => {
    const { child, output } = startCli({ DEXCOM_SIMULATOR_PORT: 'eighty' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output().trim()).toBe('dexcom-simulator: DEXCOM_SIMULATOR_PORT must be an integer from 0 to 65535 (got "eighty")');
  });
});
