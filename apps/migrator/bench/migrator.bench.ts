/*
 * `npm run bench` — `import clarity` of a synthetic one-year export (105,120
 * rows) against the raw parallel BatchWrite ceiling measured in the same run
 * on a fresh DynamoDB Local, and peak RSS for a 10× larger file against the
 * 1× file's (imports stream: memory should stay flat).
 *
 * The ceiling writes into a table made from the readings entity's own
 * definition (its GSI costs DynamoDB Local a second write per item), so
 * the ratio measures what the import adds, not what the table costs. The
 * same loop into a bare table (keys only) is reported beside it.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { round, startLocalDynamoDB } from '@vitals/local-dynamodb';
import { glucoseReadingEntity, toCreateTableInput } from '@vitals/models';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeClarityFixture } from '../src/test-support/clarity-fixture.ts';

const ONE_YEAR = 105_120;
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/migrator.json');
const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'migrator-bench-'));

const local = await startLocalDynamoDB();
const rawClient = new DynamoDBClient({ region: 'us-east-1', endpoint: local.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const raw = DynamoDBDocumentClient.from(rawClient);
const env = { ...process.env, DYNAMODB_ENDPOINT: local.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', TABLE_PREFIX: 'bench-', NO_COLOR: '1' };

interface Report { written: number; elapsed_ms: number; items_per_s: number; peak_rss_mb: number }
async function cli(args: string[]): Promise<Report> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@vitals/source', resolve(import.meta.dirname, '../src/main.ts'), ...args, '--json'],
    { cwd: root, env: { ...env, TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.base.json') }, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Report;
}

await cli(['tables', 'apply']);

// The ceiling: the same readings, already built, written by a hand-tuned parallel BatchWrite loop.
const CEILING = glucoseReadingEntity.tableName('ceiling-');
const BARE = 'bare';
await rawClient.send(new CreateTableCommand(toCreateTableInput(glucoseReadingEntity.table, { prefix: 'ceiling-' })));
await rawClient.send(
  new CreateTableCommand({
    TableName: BARE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'timestamp', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'user_id', AttributeType: 'S' }, { AttributeName: 'timestamp', AttributeType: 'S' }],
  }),
);
const start = Date.parse('2025-01-01T00:00:00.000Z');
const items = Array.from({ length: ONE_YEAR }, (_, i) => ({
  user_id: 'ceiling',
  timestamp: new Date(start + i * 300_000).toISOString(),
  glucose_value: 70 + ((i * 7) % 200),
  glucose_unit: 'mg/dL',
  trend_direction: 'steady',
  device_info: { device_id: 'Android G7', serial_number: 'Android G7', transmitter_id: '8TX123' },
  reading_type: 'CGM',
  source: 'dexcom',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
}));
async function ceiling(table: string, concurrency: number): Promise<number> {
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        let requests = items.slice(next, (next += 25)).map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const output: BatchWriteCommandOutput = await raw.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (output.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }
    }),
  );
  return (ONE_YEAR / (performance.now() - began)) * 1_000;
}
const tuning: Record<number, number> = {};
const bareTuning: Record<number, number> = {};
for (const concurrency of [16, 32, 48]) {
  tuning[concurrency] = Math.round(await ceiling(CEILING, concurrency));
  bareTuning[concurrency] = Math.round(await ceiling(BARE, concurrency));
}
const ceilingPerSecond = Math.max(...Object.values(tuning));
const barePerSecond = Math.max(...Object.values(bareTuning));

// Ten years of readings must end before today: readings more than 24 h after the clock are refused as implausible.
const FIXTURE_START = '2015-01-01T00:00:00';
const oneYear = join(dir, 'one-year.csv');
await writeClarityFixture(oneYear, { rows: ONE_YEAR, start: FIXTURE_START });
const imported = await cli(['import', 'clarity', oneYear, '--user', 'bench-1x']);
if (imported.written !== ONE_YEAR) throw new Error(`imported ${imported.written} of ${ONE_YEAR}`);

const tenYears = join(dir, 'ten-years.csv');
await writeClarityFixture(tenYears, { rows: ONE_YEAR * 10, start: FIXTURE_START });
const imported10 = await cli(['import', 'clarity', tenYears, '--user', 'bench-10x']);
if (imported10.written !== ONE_YEAR * 10) throw new Error(`imported ${imported10.written} of ${ONE_YEAR * 10}`);

rawClient.destroy();
await local.stop();
rmSync(dir, { recursive: true, force: true });

// The import's rate includes reading, parsing and validating the file (one streaming pass: neither --strict nor --dry-run).
const results = {
  package: '@vitals/migrator',
  when: new Date().toISOString(),
  import_clarity_1x: { rows: ONE_YEAR, items_per_s: imported.items_per_s, elapsed_ms: imported.elapsed_ms, peak_rss_mb: imported.peak_rss_mb },
  raw_batchwrite_ceiling: { table: `${glucoseReadingEntity.table.name} definition (keys, GSI, TTL)`, items_per_s: Math.round(ceilingPerSecond), tuning },
  ratio_vs_ceiling: round(imported.items_per_s / ceilingPerSecond),
  raw_batchwrite_bare_table: { table: 'keys only', items_per_s: Math.round(barePerSecond), tuning: bareTuning },
  ratio_vs_bare_table: round(imported.items_per_s / barePerSecond),
  import_clarity_10x: { rows: ONE_YEAR * 10, items_per_s: imported10.items_per_s, peak_rss_mb: imported10.peak_rss_mb },
  peak_rss_ratio_10x_vs_1x: round(imported10.peak_rss_mb / imported.peak_rss_mb),
};
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
console.log('\n@vitals/migrator — import clarity vs the raw parallel BatchWrite ceiling, same run');
console.log(
  `import 1x    ${imported.items_per_s} items/s vs ceiling ${Math.round(ceilingPerSecond)} items/s = ${results.ratio_vs_ceiling}×  ` +
    `(ceiling tuning ${JSON.stringify(tuning)})`,
);
console.log(`             vs the same loop into a keys-only table ${Math.round(barePerSecond)} items/s = ${results.ratio_vs_bare_table}×`);
console.log(`peak RSS     1x ${imported.peak_rss_mb} MB, 10x ${imported10.peak_rss_mb} MB = ${results.peak_rss_ratio_10x_vs_1x}×`);
console.log(`results written to ${RESULTS}`);
