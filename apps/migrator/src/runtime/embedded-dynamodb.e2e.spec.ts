import { answersAsDynamoDB, dynamoDBLocalProcesses, findFreePort, isPortOpen } from '@vitals/local-dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killCliWhen } from '../test-support/run-cli.ts';

jest.setTimeout(120_000);

describe('vitals-migrate on the embedded DynamoDB Local', () => {
  let port: number;

  // Whatever the outcome, no JVM of this test outlives it (the port is this test's alone).
  afterEach(() => {
    for (const java of dynamoDBLocalProcesses(port)) process.kill(java.pid, 'SIGKILL');
  });

  it('when the CLI is SIGKILLed mid-run, leaves no DynamoDB Local JVM holding the port', async () => {
    port = await findFreePort();
    const env = {
      DYNAMODB_ENDPOINT: 'embedded',
      DYNAMODB_LOCAL_PORT: String(port),
      VITALS_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'migrate-kill-')), '.data'),
    };
    // Killed the moment the JVM it started answers: a fresh `tables apply` has five tables still to create.
    const killed = await killCliWhen(['tables', 'apply'], env, () => answersAsDynamoDB(`http://127.0.0.1:${port}`, 200));
    expect(killed).toEqual({ signal: 'SIGKILL', ready: true });

    const deadline = Date.now() + 30_000;
    let left = dynamoDBLocalProcesses(port);
    while ((left.length > 0 || (await isPortOpen('127.0.0.1', port))) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
      left = dynamoDBLocalProcesses(port);
    }
    expect(left).toEqual([]);
    expect(await isPortOpen('127.0.0.1', port)).toBe(false);
  });
});
