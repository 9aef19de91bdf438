import { DynamoDBTables, createLogger, type EnvLike, type LoggerOptions } from '@vitals/dynamodb-core';
import { startLocalDynamoDB, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { ensureTables, type Clock } from '@vitals/repositories';
import type { Container } from 'inversify';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { BearerTokens } from './auth/bearer-tokens.ts';
import { SCOPES } from './auth/scopes.ts';
import { apiConfigFromEnv, type ApiConfig } from './config/api-config.ts';
import { loadOrCreateDevSecrets } from './config/dev-secrets.ts';
import { createApiContainer } from './container/api.container.ts';
import { clientErrorHandler } from './middleware/client-errors.ts';

/** The user the printed development token speaks for. */
export const DEMO_USER = 'demo';
const DEV_TOKEN_TTL_SECONDS = 7 * 86_400;
/** How long in-flight requests get to finish on shutdown before their connections are closed. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often Node checks the header and request timeouts; its default (30 s) would make them up to 30 s late. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  config: ApiConfig;
  container: Container;
  http: Server;
  /** Stops accepting, lets requests in flight finish, closes the DynamoDB client and the embedded DynamoDB. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the start-up lines (URLs, the development token) go. */
  announce: (line: string) => void;
  /** Where log lines go; default standard output. */
  logDestination?: LoggerOptions['destination'];
  /** Default: the system clock. */
  clock?: Clock;
}

/**
 * Parses the environment once, brings up DynamoDB (the embedded DynamoDB
 * Local when so configured; tables applied outside production), builds the
 * container and the app, and listens.
 */
export async function startServer(env: EnvLike, options: StartOptions): Promise<RunningServer> {
  const config = apiConfigFromEnv(env, loadOrCreateDevSecrets);
  const logger = createLogger({ level: config.log_level, name: 'vitals-api', destination: options.logDestination });

  let local: LocalDynamoDB | undefined;
  let container: Container | undefined;
  try {
    if (config.dynamodb.endpoint.mode === 'embedded') {
      local = await startLocalDynamoDB({
        port: config.dynamodb.endpoint.port,
        dataDir: join(config.data_dir, 'dynamodb'),
        portSetting: 'DYNAMODB_LOCAL_PORT',
      });
    }
    container = await createApiContainer(config, logger, options.clock);
    if (!config.production) {
      // The definitions in full (GSIs, TTL), the same path as `tables apply`: `tables plan` then finds nothing to do.
      const { applied } = await ensureTables(container.get(DynamoDBTables), { prefix: config.table_prefix });
      if (applied.length > 0) logger.info({ actions: applied }, 'applied the table definitions');
    }
    const server = createServer(
      {
        headersTimeout: config.http_headers_timeout_ms,
        requestTimeout: config.http_request_timeout_ms,
        connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, config.http_headers_timeout_ms),
      },
      createApp(container),
    );
    server.on('clientError', clientErrorHandler(logger));
    server.listen(config.port, config.host);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

    options.announce(`Vitals API listening at ${url}`);
    options.announce(`  dashboard: ${url}/app/`);
    options.announce(`  docs:    ${url}/docs/`);
    options.announce(`  OpenAPI: ${url}/openapi.json`);
    options.announce(`  DynamoDB: ${local?.endpoint ?? config.dynamodb.config.endpoint_url ?? `AWS ${config.dynamodb.config.region_name}`}`);
    if (!config.production) {
      const token = await container.get(BearerTokens).issue(DEMO_USER, SCOPES, DEV_TOKEN_TTL_SECONDS);
      options.announce(`Development token for user "${DEMO_USER}" (every scope, valid 7 days):`);
      options.announce(`  DEV_TOKEN=${token}`);
      options.announce(`  curl -H "Authorization: Bearer $DEV_TOKEN" ${url}/v1/users/${DEMO_USER}/readings`);
      options.announce(`  or open ${url}/app/ and paste the token`);
    }
    const running = container;
    const embedded = local;
    let stopped: Promise<void> | undefined;
    return {
      url,
      config,
      container,
      http: server,
      stop: () => (stopped ??= shutdown(server, running, embedded)),
    };
  } catch (error) {
    await container?.unbindAll();
    await local?.stop();
    throw error;
  }
}

async function shutdown(server: Server, container: Container, local: LocalDynamoDB | undefined): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive connection holds close() open once its request is done: end each one as it falls idle.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
  await container.unbindAll();
  await local?.stop();
}
