/*
 * `npm run bench` — a validated repository page of 1,000 glucose readings
 * (schema parsing, signed cursor) against the raw DynamoDBDocumentClient query
 * of the same items, and a page of 1,000 changes of the change feed (both
 * indexes merged, ~1% deletions checked against the readings) against the raw
 * query of the readings' srv_modified index, side by side in one run on a
 * fresh DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBService, createLogger } from '@vitals/dynamodb-core';
import { figures, interleaved, round, startLocalDynamoDB } from '@vitals/local-dynamodb';
import { glucoseReadingEntity } from '@vitals/models';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import { GlucoseReadingRepository } from '../src/glucose-reading/glucose-reading.repository.ts';
import { GlucoseRollupService } from '../src/glucose-rollup/glucose-rollup.service.ts';
import { UserSettingsRepository } from '../src/user-settings/user-settings.repository.ts';
import { EntityStores } from '../src/store/entity-stores.ts';
import { createMissingTables } from '../src/tables/create-tables.ts';

const ROUNDS = Number(process.env['BENCH_PAGE_ROUNDS'] ?? 200);
const FEED_USER = 'bench-follower';
const RESULTS = resolve(import.meta.dirname, '../../../bench-results/repositories.json');
const USER = 'bench-user';

const local = await startLocalDynamoDB();
const logger = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) });
const db = new DynamoDBService(logger, {
  region_name: 'us-east-1',
  endpoint_url: local.endpoint,
  aws_access_key_id: 'local',
  aws_secret_access_key: 'local',
});
const settings = { table_prefix: 'bench-', strict: false, cursor_secret: 'bench-cursor-secret-0123456789', reading_changes_settle_ms: 0 };
await createMissingTables(db.tables, { prefix: settings.table_prefix });
const stores = new EntityStores(db.items, logger, settings);
const clock = { now: () => new Date() };
const repository = new GlucoseReadingRepository(stores, settings, clock, new GlucoseRollupService(stores, new UserSettingsRepository(stores, clock), clock));

const start = Date.parse('2026-01-01T00:00:00.000Z');
await repository.saveMany(
  USER,
  Array.from({ length: 1_000 }, (_, i) => ({
    timestamp: new Date(start + i * 300_000).toISOString(),
    glucose_value: 70 + (i % 150),
    trend_direction: 'steady',
    device_info: { device_id: 'g7-123', serial_number: 'SN-42', transmitter_id: 'T-9' },
  })),
);

// The feed's user: 10 rounds of 101 readings stored, one of them deleted a millisecond later → 1,010 changes, 10 of them deletions.
let setupNow = Date.now() - 60_000;
const writerClock = { now: () => new Date(setupNow) };
const writer = new GlucoseReadingRepository(stores, settings, writerClock, new GlucoseRollupService(stores, new UserSettingsRepository(stores, writerClock), writerClock));
for (let round = 0; round < 10; round++) {
  const base = round * 101;
  await writer.saveMany(
    FEED_USER,
    Array.from({ length: 101 }, (_, i) => ({
      timestamp: new Date(start + (base + i) * 300_000).toISOString(),
      glucose_value: 70 + ((base + i) % 150),
      trend_direction: 'steady',
      device_info: { device_id: 'g7-123', serial_number: 'SN-42', transmitter_id: 'T-9' },
    })),
  );
  setupNow += 1;
  await writer.delete(FEED_USER, new Date(start + (base + 50) * 300_000).toISOString());
  setupNow += 1;
}

const rawClient = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: local.endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const raw = DynamoDBDocumentClient.from(rawClient);
const rawTable = glucoseReadingEntity.tableName(settings.table_prefix);

let rawCount = 0;
let pageCount = 0;
const contenders = {
  wrapper: async () => {
    pageCount = (await repository.listRange(USER, {}, { limit: 1_000 })).items.length;
  },
  raw: async () => {
    const output = await raw.send(
      new QueryCommand({
        TableName: rawTable,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'user_id' },
        ExpressionAttributeValues: { ':pk': USER },
        Limit: 1_000,
      }),
    );
    rawCount = output.Items?.length ?? 0;
  },
};
let feedCount = 0;
let feedDeletions = 0;
let rawIndexCount = 0;
const feedContenders = {
  feed: async () => {
    const { changes } = await repository.listChanges(FEED_USER, { limit: 1_000 });
    feedCount = changes.length;
    feedDeletions = changes.filter((change) => change.kind === 'delete').length;
  },
  raw_index: async () => {
    const output = await raw.send(
      new QueryCommand({
        TableName: rawTable,
        IndexName: 'user_id-srv_modified-index',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'user_id' },
        ExpressionAttributeValues: { ':pk': FEED_USER },
        Limit: 1_000,
      }),
    );
    rawIndexCount = output.Items?.length ?? 0;
  },
};
await interleaved(30, contenders);
const latencies = await interleaved(ROUNDS, contenders);
if (rawCount !== 1_000 || pageCount !== 1_000) throw new Error(`expected 1,000 items, got raw ${rawCount} / page ${pageCount}`);
await interleaved(30, feedContenders);
const feedLatencies = await interleaved(ROUNDS, feedContenders);
if (feedCount !== 1_000 || rawIndexCount !== 1_000 || feedDeletions < 9) {
  throw new Error(`expected 1,000 changes (≥ 9 deletions) and 1,000 index items, got ${feedCount} (${feedDeletions}) / ${rawIndexCount}`);
}

const wrapper = figures(latencies['wrapper']);
const baseline = figures(latencies['raw']);
const feed = figures(feedLatencies['feed']);
const feedBaseline = figures(feedLatencies['raw_index']);
const results = {
  package: '@vitals/repositories',
  when: new Date().toISOString(),
  page_1000_readings: {
    wrapper,
    raw: baseline,
    p50_ratio: round(wrapper.p50_ms / baseline.p50_ms),
    p99_ratio: round(wrapper.p99_ms / baseline.p99_ms),
  },
  changes_page_1000: {
    feed,
    raw_index: feedBaseline,
    deletions: feedDeletions,
    p50_ratio: round(feed.p50_ms / feedBaseline.p50_ms),
    p99_ratio: round(feed.p99_ms / feedBaseline.p99_ms),
  },
};

db.close();
rawClient.destroy();
await local.stop();
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
console.log('\n@vitals/repositories — validated page of 1,000 readings / raw query of the same items, same run');
console.log(
  `page 1000    p50 ${wrapper.p50_ms.toFixed(2)} / ${baseline.p50_ms.toFixed(2)} ms = ${results.page_1000_readings.p50_ratio.toFixed(3)}×   ` +
    `p99 ${wrapper.p99_ms.toFixed(2)} / ${baseline.p99_ms.toFixed(2)} ms = ${results.page_1000_readings.p99_ratio.toFixed(3)}×`,
);
console.log('@vitals/repositories — a page of 1,000 changes (both indexes merged) / raw query of the srv_modified index, same run');
console.log(
  `changes 1000 p50 ${feed.p50_ms.toFixed(2)} / ${feedBaseline.p50_ms.toFixed(2)} ms = ${results.changes_page_1000.p50_ratio.toFixed(3)}×   ` +
    `p99 ${feed.p99_ms.toFixed(2)} / ${feedBaseline.p99_ms.toFixed(2)} ms = ${results.changes_page_1000.p99_ratio.toFixed(3)}×`,
);
console.log(`results written to ${RESULTS}`);
