/*
 * `npm run bench` — DynamoDBService against raw DynamoDBDocumentClient calls
 * doing the same work, side by side in one run against a fresh in-memory
 * DynamoDB Local. Figures are ratios (wrapper ÷ raw); nothing here asserts.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type BatchWriteCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDBService, createLogger, type Item } from '../src/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { figures, interleaved, round, startLocalDynamoDB, time, type Figures } from '@vitals/local-dynamodb';

const LATENCY_ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2_000);
const QUERY_ROUNDS = Number(process.env['BENCH_QUERY_ROUNDS'] ?? 300);
const BATCH_ITEMS = 20_000;
const BATCH_REPEATS = 3;
const RAW_CONCURRENCY_CANDIDATES = [8, 16, 32, 48];
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/dynamodb-core.json');

const local = await startLocalDynamoDB();
const credentials = { aws_access_key_id: 'local', aws_secret_access_key: 'local' };
// The wrapper logs as it would in production: pino at INFO, written (to /dev/null).
const logger = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) });
const service = new DynamoDBService(logger, { region_name: 'us-east-1', endpoint_url: local.endpoint, ...credentials });
const rawClient = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: local.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const raw = DynamoDBDocumentClient.from(rawClient);

const TABLE = 'bench_readings';
await rawClient.send(
  new CreateTableCommand({
    TableName: TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'timestamp', AttributeType: 'S' },
    ],
  }),
);

const base = Date.parse('2026-01-01T00:00:00.000Z');
function reading(userId: string, index: number): Item {
  return {
    user_id: userId,
    timestamp: new Date(base + index * 300_000).toISOString(),
    glucose_value: 80 + (index % 120),
    glucose_unit: 'mg/dL',
    trend_direction: 'steady',
    device_info: { device_id: 'g7-123', serial_number: 'SN-42', transmitter_id: 'T-9' },
    reading_type: 'CGM',
    source: 'dexcom',
    created_at: '2026-01-02T00:00:00.000Z',
    updated_at: '2026-01-02T00:00:00.000Z',
  };
}

type Comparison = { wrapper: Figures; raw: Figures; p50_ratio: number; p99_ratio: number; ops_ratio: number };
function compare(latencies: Record<string, number[]>): Comparison {
  const wrapper = figures(latencies['wrapper']);
  const baseline = figures(latencies['raw']);
  return {
    wrapper,
    raw: baseline,
    p50_ratio: round(wrapper.p50_ms / baseline.p50_ms),
    p99_ratio: round(wrapper.p99_ms / baseline.p99_ms),
    ops_ratio: round(wrapper.ops_per_s / baseline.ops_per_s),
  };
}

// ── single-item latency ─────────────────────────────────────────────────
const warmup = { wrapper: (i: number) => service.items.putItem({ tableName: TABLE, item: reading('warm-w', i) }), raw: (i: number) => raw.send(new PutCommand({ TableName: TABLE, Item: reading('warm-r', i) })) };
await interleaved(300, warmup);

const put = compare(
  await interleaved(LATENCY_ROUNDS, {
    wrapper: (i) => service.items.putItem({ tableName: TABLE, item: reading('put-w', i) }),
    raw: (i) => raw.send(new PutCommand({ TableName: TABLE, Item: reading('put-r', i) })),
  }),
);

const get = compare(
  await interleaved(LATENCY_ROUNDS, {
    wrapper: (i) => service.items.getItem({ tableName: TABLE, key: { user_id: 'put-w', timestamp: reading('put-w', i)['timestamp'] } }),
    raw: (i) => raw.send(new GetCommand({ TableName: TABLE, Key: { user_id: 'put-r', timestamp: reading('put-r', i)['timestamp'] } })),
  }),
);

// ── a day of 5-minute readings: 288 items ───────────────────────────────
await service.items.batchWriteItems({ tableName: TABLE, items: Array.from({ length: 288 }, (_, i) => reading('day', i)) });
const dayQuery = {
  keyConditionExpression: 'user_id = :user AND #ts BETWEEN :from AND :to',
  expressionAttributeNames: { '#ts': 'timestamp' },
  expressionAttributeValues: { ':user': 'day', ':from': reading('day', 0)['timestamp'], ':to': reading('day', 287)['timestamp'] },
};
let rawCount = 0;
let wrapperCount = 0;
const query = compare(
  await interleaved(QUERY_ROUNDS, {
    wrapper: async () => {
      wrapperCount = (await service.items.query({ tableName: TABLE, ...dayQuery })).length;
    },
    raw: async () => {
      const output = await raw.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: dayQuery.keyConditionExpression,
          ExpressionAttributeNames: dayQuery.expressionAttributeNames,
          ExpressionAttributeValues: dayQuery.expressionAttributeValues,
        }),
      );
      rawCount = output.Items?.length ?? 0;
    },
  }),
);
if (rawCount !== 288 || wrapperCount !== 288) throw new Error(`query returned ${rawCount} raw / ${wrapperCount} wrapper items, expected 288`);

// ── 20,000-item batch write ─────────────────────────────────────────────
let run = 0;
const batchItems = () => {
  const user = `batch-${run++}`;
  return Array.from({ length: BATCH_ITEMS }, (_, i) => reading(user, i));
};

/** The hand-written baseline: `concurrency` workers, 25 puts a request, unprocessed items re-sent at once. */
async function rawParallelBatchWrite(items: Item[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let requests = items.slice(next, (next += 25)).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const output: BatchWriteCommandOutput = await raw.send(new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }));
        requests = (output.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const itemsPerSecond = (ms: number, count = BATCH_ITEMS) => round((count / ms) * 1_000, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const tuning: Record<string, number> = {};
for (const concurrency of RAW_CONCURRENCY_CANDIDATES) {
  const items = batchItems();
  tuning[concurrency] = itemsPerSecond(await time(() => rawParallelBatchWrite(items, concurrency)));
}
const tunedConcurrency = Number(Object.entries(tuning).sort((a, b) => b[1] - a[1])[0][0]);

const rawRuns: number[] = [];
const wrapperRuns: number[] = [];
for (let repeat = 0; repeat < BATCH_REPEATS; repeat++) {
  const rawItems = batchItems();
  const wrapperItems = batchItems();
  const rawFirst = repeat % 2 === 0;
  if (rawFirst) rawRuns.push(itemsPerSecond(await time(() => rawParallelBatchWrite(rawItems, tunedConcurrency))));
  wrapperRuns.push(itemsPerSecond(await time(() => service.items.batchWriteItems({ tableName: TABLE, items: wrapperItems }))));
  if (!rawFirst) rawRuns.push(itemsPerSecond(await time(() => rawParallelBatchWrite(rawItems, tunedConcurrency))));
}

const naiveItems = batchItems();
const naiveMs = await time(async () => {
  for (const Item of naiveItems) await raw.send(new PutCommand({ TableName: TABLE, Item }));
});

const batch = {
  items: BATCH_ITEMS,
  wrapper_items_per_s: median(wrapperRuns),
  wrapper_runs: wrapperRuns,
  raw_parallel_items_per_s: median(rawRuns),
  raw_parallel_runs: rawRuns,
  raw_parallel_concurrency: tunedConcurrency,
  raw_parallel_tuning: tuning,
  naive_sequential_items_per_s: itemsPerSecond(naiveMs),
  ratio_vs_raw_parallel: round(median(wrapperRuns) / median(rawRuns)),
  ratio_vs_naive: round(median(wrapperRuns) / itemsPerSecond(naiveMs), 1),
};

service.close();
rawClient.destroy();
await local.stop();

const results = {
  package: '@vitals/dynamodb-core',
  when: new Date().toISOString(),
  node: process.version,
  dynamodb_local: local.endpoint,
  put_item: put,
  get_item: get,
  query_288: query,
  batch_write_20000: batch,
};
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

const row = (name: string, c: Comparison) =>
  `${name.padEnd(12)} p50 ${c.wrapper.p50_ms.toFixed(3)} / ${c.raw.p50_ms.toFixed(3)} ms = ${c.p50_ratio.toFixed(3)}×   ` +
  `p99 ${c.wrapper.p99_ms.toFixed(3)} / ${c.raw.p99_ms.toFixed(3)} ms = ${c.p99_ratio.toFixed(3)}×   ` +
  `ops/s ${c.wrapper.ops_per_s.toFixed(0)} / ${c.raw.ops_per_s.toFixed(0)} = ${c.ops_ratio.toFixed(3)}×`;
console.log('\n@vitals/dynamodb-core — wrapper / raw DynamoDBDocumentClient, same run, DynamoDB Local (in memory)');
console.log(row('putItem', put));
console.log(row('getItem', get));
console.log(row('query 288', query));
console.log(
  `batchWrite   ${batch.wrapper_items_per_s} items/s (runs ${wrapperRuns.join(', ')}) vs raw parallel ` +
    `${batch.raw_parallel_items_per_s} items/s at ${tunedConcurrency} in flight (runs ${rawRuns.join(', ')}) = ` +
    `${batch.ratio_vs_raw_parallel}×; vs naive sequential PutItem ${batch.naive_sequential_items_per_s} items/s = ${batch.ratio_vs_naive}×`,
);
console.log(`raw parallel tuning (in flight: items/s): ${JSON.stringify(tuning)}`);
console.log(`results written to ${RESULTS}`);
