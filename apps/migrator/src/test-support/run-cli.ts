import { DynamoDBService, createLogger } from '@vitals/dynamodb-core';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { glucoseReadingEntity } from '@vitals/models';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A table prefix no other test uses. */
export function uniquePrefix(): string {
  return `e2e-${randomUUID().slice(0, 8)}-`;
}

/**
 * Nx sets FORCE_COLOR for the tasks it runs; beside NO_COLOR it makes Node
 * print a warning on the child's stderr, which is not the CLI's output.
 */
function withoutForcedColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const plain = { ...env };
  delete plain['FORCE_COLOR'];
  return plain;
}

/** Runs `vitals-migrate` as a child process against the test run's DynamoDB Local; killed after `timeoutMs`. */
export function runCli(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      resolve(root, 'node_modules/.bin/tsx'),
      ['--tsconfig', resolve(root, 'tsconfig.base.json'), '--conditions=@vitals/source', resolve(__dirname, '../main.ts'), ...args],
      {
        cwd: root,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: withoutForcedColor({
          ...process.env,
          NO_COLOR: '1',
          DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          ...env,
        }),
      },
      (error, stdout, stderr) => {
        // A child killed (the timeout, a crash by signal) has no exit code: never let it pass for one.
        if (error?.signal) done({ code: -1, stdout, stderr: `${stderr}\n[killed by ${error.signal}]` });
        else done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Starts `vitals-migrate` as a single process (node --import tsx, so SIGKILL
 * really stops the writer mid-run), polls `ready` until it holds, then kills
 * the process with SIGKILL. Resolves with the signal it died of (null when
 * it exited on its own first) and what `ready` last saw.
 */
export async function killCliWhen(
  args: readonly string[],
  env: Record<string, string>,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<{ signal: NodeJS.Signals | null; ready: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@vitals/source', resolve(__dirname, '../main.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.base.json'),
      DYNAMODB_ENDPOINT: testDynamoDBEndpoint(),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...env,
    },
  });
  // The end of its stderr, told when the process ends before `ready` held: why it did is then the question.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + timeoutMs;
  let seen = false;
  while (!seen && Date.now() < deadline && child.exitCode === null) {
    seen = await ready();
    if (!seen) await new Promise((done) => setTimeout(done, 50));
  }
  child.kill('SIGKILL');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  if (!seen) console.warn(`vitals-migrate ${args.join(' ')} ended (code ${code}, signal ${signal}) before it was ready to kill:\n${stderrTail}`);
  return { signal, ready: seen };
}

/** A service on the test run's DynamoDB Local, for checking what the CLI wrote. */
export function testService(): DynamoDBService {
  return new DynamoDBService(createLogger({ level: 'silent' }), {
    region_name: 'us-east-1',
    endpoint_url: testDynamoDBEndpoint(),
    aws_access_key_id: 'local',
    aws_secret_access_key: 'local',
  });
}

/** Every stored reading of `user` under `prefix`, in time order. */
export function storedReadings(db: DynamoDBService, prefix: string, user: string): Promise<Record<string, unknown>[]> {
  return db.items.query({
    tableName: glucoseReadingEntity.tableName(prefix),
    keyConditionExpression: 'user_id = :u',
    expressionAttributeValues: { ':u': user },
  });
}
