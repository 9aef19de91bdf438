import { findFreePort } from '@vitals/local-dynamodb';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmStart, waitFor } from './test-support/process-tree.ts';

jest.setTimeout(180_000);

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

async function goneWithin(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await answers(url)) {
    if (Date.now() > deadline) return false;
    await new Promise((done) => setTimeout(done, 100));
  }
  return true;
}

describe('npm start', () => {
  it('when run on a fresh data directory, serves readyz, prints a working token, and stops on Ctrl-C', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'api-start-')), '.data');
    const port = await findFreePort();
    const dynamoPort = await findFreePort();
    const started = npmStart({ VITALS_DATA_DIR: dataDir, PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort) });
    try {
      const token = await waitFor('the development token', () => /DEV_TOKEN=(\S+)/.exec(started.output())?.[1], started);
      const url = `http://127.0.0.1:${port}`;
      expect(started.output()).toContain(`${url}/docs/`);
      expect(existsSync(join(dataDir, 'dev-secrets.json'))).toBe(true);
      expect(existsSync(join(dataDir, 'dynamodb'))).toBe(true);

      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const reading = { timestamp: '2026-06-01T12:00:00.000Z', glucose_value: 104, device_info: { device_id: 'g7', serial_number: 'SN1' } };
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const stored = await fetch(`${url}/v1/users/demo/readings`, { method: 'POST', headers, body: JSON.stringify(reading) });
      expect(stored.status).toBe(201);
      const listed = await fetch(`${url}/v1/users/demo/readings`, { headers });
      expect(((await listed.json()) as { items: unknown[] }).items).toMatchObject([{ glucose_value: 104 }]);
      expect((await fetch(`${url}/v1/users/demo/readings`)).status).toBe(401);
    } finally {
      process.kill(-(started.child.pid as number), 'SIGINT');
      await started.exited;
    }
    // npm may exit before its children have: the API and the DynamoDB Local it started must be gone soon after.
    expect(await goneWithin(`http://127.0.0.1:${port}/healthz`, 20_000)).toBe(true);
    expect(await goneWithin(`http://127.0.0.1:${dynamoPort}`, 20_000)).toBe(true);
  });

  it('when NODE_ENV=production lacks the secrets and the Dexcom variables, refuses to start, names them and prints no token', async () => {
    const started = npmStart({
      NODE_ENV: 'production',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      VITALS_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'api-prod-')), '.data'),
      API_JWT_SECRET: '',
      TOKEN_ENCRYPTION_KEY: '',
    });
    const [code] = await started.exited;
    expect(code).not.toBe(0);
    expect(started.output()).toContain('API_JWT_SECRET: is required in production');
    expect(started.output()).toContain('TOKEN_ENCRYPTION_KEY: is required in production');
    for (const name of ['DEXCOM_CLIENT_ID', 'DEXCOM_CLIENT_SECRET', 'DEXCOM_BASE_URL', 'DEXCOM_REDIRECT_URI']) {
      expect(started.output()).toContain(`${name}: is required in production`);
    }
    expect(started.output()).not.toMatch(/DEV_TOKEN|listening/);
  });
});
