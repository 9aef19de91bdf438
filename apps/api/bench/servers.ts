/*
 * The two servers of api.bench.ts: the real API, started by `startServer`,
 * and the baseline — a bare Express 5 app whose one handler is the raw
 * DynamoDBDocumentClient query of the same readings.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import express from 'express';
import type { Container } from 'inversify';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { BearerTokens } from '../src/auth/bearer-tokens.ts';
import { SCOPES } from '../src/auth/scopes.ts';
import type { ApiConfig, LogLevel } from '../src/config/api-config.ts';
import { startServer } from '../src/server.ts';

export interface Listening {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export interface BenchApi extends Listening {
  config: ApiConfig;
  container: Container;
  /** A bearer token for `userId` with every scope but admin, valid for an hour. */
  token(userId: string): Promise<string>;
}

export interface BenchApiOptions {
  endpoint: string;
  logLevel: LogLevel;
  jwtSecret: string;
  tokenEncryptionKey: string;
  tablePrefix: string;
}

async function listen(server: Server): Promise<string> {
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * The API exactly as `npm start` builds it (`startServer`: config parsed from
 * an environment, pino at the configured level, the production container and
 * app), except that the log lines go to /dev/null through the same kind of
 * asynchronous SonicBoom stream pino writes stdout with, so that they are
 * formatted and written but do not flood the terminal.
 */
export async function startBenchApi(options: BenchApiOptions): Promise<BenchApi> {
  const server = await startServer(
    {
      DYNAMODB_ENDPOINT: options.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      TABLE_PREFIX: options.tablePrefix,
      API_JWT_SECRET: options.jwtSecret,
      TOKEN_ENCRYPTION_KEY: options.tokenEncryptionKey,
      HOST: '127.0.0.1',
      PORT: '0',
      // Counted on every request, never reached.
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: options.logLevel,
    },
    { announce: () => undefined, logDestination: pino.destination({ dest: '/dev/null', sync: false }) },
  );
  const tokens = server.container.get(BearerTokens);
  return {
    url: server.url,
    config: server.config,
    container: server.container,
    token: (userId) => tokens.issue(userId, SCOPES.filter((scope) => scope !== 'admin'), 3_600),
    close: () => server.stop(),
  };
}

/** A plain document client, as the other benchmarks' baselines use. */
export function rawDocumentClient(endpoint: string): { document: DynamoDBDocumentClient; destroy(): void } {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { document: DynamoDBDocumentClient.from(client), destroy: () => client.destroy() };
}

/**
 * Every item of `userId` with `from <= timestamp <= to`: the key condition
 * the repository sends for a range, paged until DynamoDB has no more —
 * `pageSize` items a request, or DynamoDB's 1 MB pages when absent.
 */
export async function rawReadings(
  document: DynamoDBDocumentClient,
  table: string,
  userId: string,
  range: { from: string; to: string; pageSize?: number },
): Promise<Record<string, unknown>[]> {
  const { from, to, pageSize } = range;
  const items: Record<string, unknown>[] = [];
  let startKey: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const output = await document.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        ExpressionAttributeNames: { '#pk': 'user_id', '#sk': 'timestamp' },
        ExpressionAttributeValues: { ':pk': userId, ':sk': from, ':sk_hi': to },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
      }),
    );
    for (const item of output.Items ?? []) items.push(item);
    startKey = output.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Bare Express 5: no auth, no validation, no helmet, no logging, no rate limit — the raw query and `res.json` (a page of readings; a Nightscout read). */
export async function startBaseline(document: DynamoDBDocumentClient, table: string): Promise<Listening> {
  const app = express();
  app.get('/baseline/users/:user_id/readings', async (req, res) => {
    const range = { from: String(req.query['from']), to: String(req.query['to']) };
    const items = await rawReadings(document, table, req.params.user_id, range);
    res.json({ items, next_cursor: null });
  });
  // The Nightscout read's raw form: the newest `count` items of the user, one Query, newest first.
  app.get('/baseline/users/:user_id/entries', async (req, res) => {
    const output = await document.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'user_id' },
        ExpressionAttributeValues: { ':pk': req.params.user_id },
        ScanIndexForward: false,
        Limit: Number(req.query['count']),
      }),
    );
    res.json(output.Items ?? []);
  });
  const server = app.listen(0, '127.0.0.1');
  const url = await listen(server);
  return { url, close: () => close(server) };
}
