import { parseArgs } from 'node:util';
import { startLocalDynamoDB } from './local-dynamodb.ts';

/*
 * `npm start` until the API exists: runs the embedded, persisted DynamoDB
 * Local in the foreground and stops it on Ctrl-C / SIGTERM.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    'data-dir': { type: 'string', default: '.data/dynamodb' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`--port must be an integer 1..65535, got "${values.port}"`);
  process.exit(2);
}

try {
  const local = await startLocalDynamoDB({ port, dataDir: values['data-dir'] });
  if (local.reused) {
    console.log(`DynamoDB Local is already running at ${local.endpoint}; nothing to start.`);
  } else {
    console.log(`DynamoDB Local listening at ${local.endpoint} (data in ${local.storage}). Ctrl-C stops it.`);
    const shutdown = () => {
      void local.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
