import type { EnvLike } from '@vitals/dynamodb-core';
import { BearerTokens } from '../auth/bearer-tokens.ts';
import { SCOPES } from '../auth/scopes.ts';
import { apiConfigFromEnv } from '../config/api-config.ts';
import { loadOrCreateDevSecrets } from '../config/dev-secrets.ts';
import { DEMO_USER, startServer, type RunningServer, type StartOptions } from '../server.ts';
import { connectToSimulator, developmentDexcom } from './development-dexcom.ts';
import { startDevelopmentWorker } from './development-worker.ts';

/** What `npm start` runs: the API, and in development a sync worker and (unless `DEXCOM_BASE_URL` is set) the Dexcom simulator. */
export interface RunningStack {
  server: RunningServer;
  /** Stops the worker, then the API (and its DynamoDB Local), then the simulator. Idempotent. */
  stop(): Promise<void>;
}

/**
 * `npm start`. In production: the API alone (workers are deployed as their
 * own processes, `npm run worker`). In development, so that a newcomer sees
 * glucose arrive without any setup: the Dexcom simulator, clearly labelled
 * (unless `DEXCOM_BASE_URL` points at Dexcom's sandbox), the API configured
 * to use it, one sync worker on the same DynamoDB, and the `demo` user
 * connected through the API's own connect routes, so its 90-day backfill
 * runs at once.
 */
export async function startStack(env: EnvLike, options: StartOptions): Promise<RunningStack> {
  const config = apiConfigFromEnv(env, loadOrCreateDevSecrets);
  if (config.production) {
    const server = await startServer(env, options);
    return { server, stop: () => server.stop() };
  }
  const { announce } = options;
  const dexcom = await developmentDexcom(env, config.port, announce);
  let server: RunningServer;
  try {
    server = await startServer({ ...env, ...dexcom.env }, options);
  } catch (error) {
    await dexcom.simulator?.stop();
    throw error;
  }
  const worker = startDevelopmentWorker({ ...dexcom.env, VITALS_DATA_DIR: config.data_dir, TABLE_PREFIX: config.table_prefix }, announce);
  if (dexcom.simulator !== undefined) {
    const bearer = await server.container.get(BearerTokens).issue(DEMO_USER, SCOPES, 600);
    try {
      await connectToSimulator(server.url, bearer, DEMO_USER);
      announce(`User "${DEMO_USER}" is connected to the Dexcom simulator; the worker is syncing its last 90 days now:`);
      announce(`  curl -H "Authorization: Bearer $DEV_TOKEN" ${server.url}/v1/users/${DEMO_USER}/connections/dexcom`);
    } catch (error) {
      announce(`Could not connect "${DEMO_USER}" to the Dexcom simulator: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    announce(`Dexcom: ${dexcom.env['DEXCOM_BASE_URL'] ?? env['DEXCOM_BASE_URL']} — connect a user with GET /v1/users/{user_id}/connections/dexcom/authorize`);
  }
  let stopped: Promise<void> | undefined;
  const stopAll = async () => {
    await worker.stop();
    await server.stop();
    await dexcom.simulator?.stop();
  };
  return { server, stop: () => (stopped ??= stopAll()) };
}
