import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { DynamoDBConfigInput } from '../config/dynamodb-config.schema.ts';
import { VitalsError } from '../errors/vitals-error.ts';
import { createLogger } from '../logger/logger.ts';
import { DynamoDBService } from './dynamodb.service.ts';
import { LOOPBACK_CREDENTIALS, SDK_LOGGER_STEP, createClients, isLoopbackEndpoint } from './create-clients.ts';
import { MISSING_CREDENTIALS } from './translate-error.ts';

const silent = createLogger({ level: 'silent' });

/** Environment variables through which the SDK's default chain could find credentials on this machine. */
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_EC2_METADATA_DISABLED',
];

/** Runs with no credentials anywhere the SDK looks (no variables, no files, no instance metadata). */
function withoutCredentials(): void {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of CREDENTIAL_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/vitals-test/credentials';
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/vitals-test/config';
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  });
  afterEach(() => {
    for (const name of CREDENTIAL_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
}

/** A TCP server that accepts connections and never answers: what a stopped (SIGSTOP) DynamoDB looks like. */
async function silentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/** How long `run` takes to fail, and with what. */
async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  const error = await run().then(
    () => new Error('expected a failure'),
    (thrown: unknown) => thrown,
  );
  return { error, elapsedMs: performance.now() - started };
}

describe(createClients.name, () => {
  const config = { region_name: 'us-east-1', endpoint_url: 'http://127.0.0.1:1', aws_access_key_id: 'a', aws_secret_access_key: 'b' };

  it('when built, has no SDK logging step in the stack the document client shares', () => {
    const { client, document } = createClients(config as never);
    const names = (stack: { identify(): string[] }) => stack.identify().map((entry) => entry.split(' ')[0]);
    expect(names(client.middlewareStack)).not.toContain(SDK_LOGGER_STEP);
    expect(names(document.middlewareStack)).not.toContain(SDK_LOGGER_STEP);
    // The step exists by that name in a client as the SDK builds it, so the removal is not a no-op.
    expect(names(new DynamoDBClient({ region: 'us-east-1' }).middlewareStack)).toContain(SDK_LOGGER_STEP);
  });

  describe('credentials', () => {
    withoutCredentials();

    it.each(['http://127.0.0.1:8000', 'http://127.3.2.1:8000', 'http://localhost:8000', 'http://LOCALHOST:8000/', 'http://[::1]:8000'])(
      'when the endpoint %s is on loopback and no keys are given, uses the dummy credentials DynamoDB Local accepts',
      async (endpoint_url) => {
        const { client } = createClients({ region_name: 'us-east-1', endpoint_url } as never);
        await expect(client.config.credentials()).resolves.toMatchObject(LOOPBACK_CREDENTIALS);
      },
    );

    it('when keys are given for a loopback endpoint, uses them', async () => {
      const { client } = createClients({ ...config, endpoint_url: 'http://localhost:8000' } as never);
      await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: 'a', secretAccessKey: 'b' });
    });

    it('when the endpoint is not on loopback and nothing provides credentials, fails naming the fix, not the SDK chain', async () => {
      const service = new DynamoDBService(silent, { region_name: 'us-east-1', endpoint_url: 'http://dynamodb.internal.example:8000' });
      const { error } = await failure(() => service.ping());
      service.close();
      expect(VitalsError.is(error, 'dynamodb.requestFailed')).toBe(true);
      expect((error as VitalsError<'dynamodb.requestFailed'>).details.aws_error).toBe('CredentialsProviderError');
      expect((error as Error).message).toBe(`ping: ${MISSING_CREDENTIALS}`);
    });
  });

  describe.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
    ['dynamodb.us-east-1.amazonaws.com', false],
  ])(`${isLoopbackEndpoint.name} of %s`, (host, expected) => {
    it(`says ${expected}`, () => {
      expect(isLoopbackEndpoint(`http://${host}:8000`)).toBe(expected);
    });
  });

  describe('when the endpoint accepts connections and never answers', () => {
    let server: Awaited<ReturnType<typeof silentServer>>;
    beforeEach(async () => {
      server = await silentServer();
    });
    afterEach(async () => {
      await server.close();
    });

    const serviceFor = (timeouts: Partial<DynamoDBConfigInput>) =>
      new DynamoDBService(silent, { ...config, endpoint_url: server.endpoint, ...timeouts });

    it('fails with dynamodb.unavailable (TimeoutError) once the operation budget is spent, across retries', async () => {
      const service = serviceFor({ request_timeout_ms: 60_000, operation_timeout_ms: 300 });
      const { error, elapsedMs } = await failure(() => service.items.getItem({ tableName: 'any-table', key: { id: 'x' } }));
      service.close();
      expect(error).toMatchObject({ code: 'dynamodb.unavailable', details: { aws_error: 'TimeoutError' } });
      expect((error as Error).message).toContain('DynamoDB did not answer within 300 ms');
      // Generous: proves it ends, not how fast.
      expect(elapsedMs).toBeLessThan(10_000);
    });

    it('fails with dynamodb.unavailable when every attempt runs into the per-attempt request timeout', async () => {
      const service = serviceFor({ request_timeout_ms: 200, operation_timeout_ms: 600_000 });
      const { error, elapsedMs } = await failure(() => service.ping());
      service.close();
      expect(error).toMatchObject({ code: 'dynamodb.unavailable', details: { aws_error: 'TimeoutError' } });
      expect(elapsedMs).toBeLessThan(10_000);
    });

    it('stops a batch at the first request without an answer, reporting every item not written', async () => {
      const service = serviceFor({ request_timeout_ms: 60_000, operation_timeout_ms: 300 });
      const items = Array.from({ length: 30 }, (_, index) => ({ id: `item-${index}` }));
      const { error, elapsedMs } = await failure(() => service.items.batchWriteItems({ tableName: 'any-table', items }));
      service.close();
      expect(error).toMatchObject({
        code: 'dynamodb.batchIncomplete',
        details: { reason: 'requestFailed', unprocessed_count: 30 },
        cause: { code: 'dynamodb.unavailable', details: { aws_error: 'TimeoutError' } },
      });
      // Ten attempts per chunk would be ten budgets; one is what it takes.
      expect(elapsedMs).toBeLessThan(10_000);
    });

    it('fails with the defaults too, rather than waiting forever', async () => {
      const service = serviceFor({});
      const { error, elapsedMs } = await failure(() => service.ping());
      service.close();
      expect(error).toMatchObject({ code: 'dynamodb.unavailable' });
      expect(elapsedMs).toBeLessThan(40_000);
    }, 60_000);
  });
});
