import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JavaRequiredError } from './java.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from './local-dynamodb.ts';
import { findFreePort, isPortOpen } from './port.ts';
import { answersAsDynamoDB } from './probe.ts';

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function createTable(endpoint: string, name: string): Promise<void> {
  const client = clientFor(endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
}

async function tableNames(endpoint: string): Promise<string[]> {
  const client = clientFor(endpoint);
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  client.destroy();
  return TableNames;
}

describe('startLocalDynamoDB', () => {
  // Every start is tracked from the moment it begins, so that even a start a
  // timed-out test abandoned is stopped here and leaves no JVM behind.
  const starts: Promise<LocalDynamoDB>[] = [];
  const start = (options?: Parameters<typeof startLocalDynamoDB>[0]) => {
    const starting = startLocalDynamoDB(options);
    starts.push(starting);
    return starting;
  };
  afterEach(async () => {
    const settled = await Promise.allSettled(starts.splice(0));
    await Promise.all(settled.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  });

  describe('when no port is given', () => {
    it('starts an in-memory DynamoDB on a free port and stops it completely', async () => {
      const local = await start();
      expect(local).toMatchObject({ reused: false, storage: 'memory' });
      expect(await answersAsDynamoDB(local.endpoint)).toBe(true);

      await local.stop();
      expect(await isPortOpen('127.0.0.1', local.port)).toBe(false);
      await expect(local.stop()).resolves.toBeUndefined();
    });
  });

  describe('when a data directory and fixed port are given', () => {
    // Two JVM starts, each now behind its watchdog: on two shared, loaded cores that alone can pass 30 s.
    it('persists tables across a restart', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'vitals-ddb-'));
      const port = await findFreePort();
      const first = await start({ port, dataDir });
      expect(first.port).toBe(port);
      await createTable(first.endpoint, 'persisted');
      await first.stop();

      const second = await start({ port, dataDir });
      expect(second.reused).toBe(false);
      expect(await tableNames(second.endpoint)).toEqual(['persisted']);
    }, 60_000);
  });

  describe('when DynamoDB already answers on the port', () => {
    it('reuses it, and stopping the reused handle leaves it running', async () => {
      const owner = await start({ port: await findFreePort() });
      await createTable(owner.endpoint, 'shared');

      const reused = await start({ port: owner.port });
      expect(reused).toMatchObject({ reused: true, endpoint: owner.endpoint });
      await reused.stop();
      expect(await tableNames(owner.endpoint)).toEqual(['shared']);
    });
  });

  describe('when the port is taken by something that is not DynamoDB', () => {
    let server: Server;
    afterEach(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('fails with an error naming the port', async () => {
      server = createServer((_request, response) => response.end('<h1>some other web app</h1>'));
      const port = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
      );
      await expect(start({ port })).rejects.toThrow(`port ${port} is in use`);
    });
  });

  describe('when Java is not on PATH', () => {
    const path = process.env['PATH'];
    afterEach(() => {
      process.env['PATH'] = path;
    });

    it('fails before starting anything, naming the fix', async () => {
      process.env['PATH'] = '/nonexistent';
      await expect(start()).rejects.toThrow(JavaRequiredError);
    });
  });
});
