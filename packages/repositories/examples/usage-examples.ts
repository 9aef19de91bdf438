/*
 * Every access pattern of @vitals/repositories, run against a DynamoDB,
 * one call each, as a consumer writes them. With `npm start` running, from the root:
 *
 *   npx tsx --tsconfig tsconfig.base.json --conditions=@vitals/source \
 *     packages/repositories/examples/usage-examples.ts [endpoint]
 *
 * It creates its own tables under a fresh prefix, prints one line per
 * access pattern, and deletes the tables again.
 */
import { DynamoDBService, createLogger, dynamoDBCoreModule } from '@vitals/dynamodb-core';
import { allEntities, userTokenEntity } from '@vitals/models';
import { Container } from 'inversify';
import { randomBytes } from 'node:crypto';
import {
  DailySummaryRepository,
  GlucoseReadingRepository,
  HealthEntryRepository,
  HealthLogService,
  SyncJobRepository,
  UserTokenRepository,
  createMissingTables,
  repositoriesModule,
} from '../src/index.ts'; // consumers: '@vitals/repositories'

const endpoint = process.argv[2] ?? 'http://127.0.0.1:8000';
const prefix = `usage-${Date.now()}-`;
const show = (pattern: string, result: unknown) => console.log(`${pattern}: ${JSON.stringify(result ?? null)}`);

const container = new Container();
await container.load(
  dynamoDBCoreModule({
    config: { region_name: 'us-east-1', endpoint_url: endpoint, aws_access_key_id: 'local', aws_secret_access_key: 'local' },
    logger: createLogger({ level: 'warn' }),
  }),
  repositoriesModule({
    settings: { table_prefix: prefix, strict: false, cursor_secret: randomBytes(32).toString('base64') },
    tokenKeys: { current_key_id: 'k1', keys: { k1: randomBytes(32).toString('base64') } },
  }),
);
const db = container.get(DynamoDBService);
show('tables created', await createMissingTables(db.tables, { prefix }));

// ── glucose readings ────────────────────────────────────────────────────
const readings = container.get(GlucoseReadingRepository);
const device = { device_id: 'g7', serial_number: 'SN-1' };
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 0, minutes)).toISOString();
await readings.saveMany('alice', Array.from({ length: 12 }, (_, i) => ({ timestamp: at(i * 5), glucose_value: 90 + i, device_info: device })));
await readings.save('alice', { timestamp: at(60), glucose_value: 6.2, glucose_unit: 'mmol/L', device_info: device });
show('reading get (mmol/L stored as mg/dL)', (await readings.get('alice', at(60)))?.glucose_value);
const firstPage = await readings.listRange('alice', { from: at(0), to: at(60) }, { limit: 5 });
const secondPage = await readings.listRange('alice', { from: at(0), to: at(60) }, { limit: 5, cursor: firstPage.next_cursor });
show('readings range, pages of 5', [firstPage.items.length, secondPage.items.length, secondPage.items[0]?.timestamp]);
let iterated = 0;
for await (const _reading of readings.iterateRange('alice', { order: 'desc' })) iterated++;
show('readings iterated', iterated);
show('reading latest', (await readings.latest('alice'))?.timestamp);
show('readings created since', (await readings.listCreatedSince('alice', '2000-01-01T00:00:00.000Z')).items.length);
show('reading deleted', (await readings.delete('alice', at(60)))?.timestamp);

// ── OAuth tokens (stored encrypted) ─────────────────────────────────────
const tokens = container.get(UserTokenRepository);
const expiresAt = Math.floor(Date.UTC(2026, 2, 2) / 1_000);
const stored = await tokens.save('alice', 'dexcom', {
  access_token: 'access-secret',
  refresh_token: 'refresh-secret',
  token_type: 'Bearer',
  scope: 'offline_access egv',
  expires_at: expiresAt,
});
show('token saved (metadata only)', { version: stored.version, has_token: 'access_token' in stored });
show('token get (decrypted)', (await tokens.get('alice', 'dexcom'))?.access_token);
const raw = await db.items.getItem({ tableName: userTokenEntity.tableName(prefix), key: userTokenEntity.key({ user_id: 'alice', provider: 'dexcom' }) });
show('raw item holds plaintext', JSON.stringify(raw).includes('access-secret'));
show('tokens expiring before', (await tokens.listExpiringBefore('dexcom', expiresAt + 1)).items.map((t) => t.user_id));
show('token rotation needed', (await tokens.rotate('alice', 'dexcom'))?.rotated);
show('token deleted', (await tokens.delete('alice', 'dexcom'))?.provider);

// ── sync jobs ───────────────────────────────────────────────────────────
const jobs = container.get(SyncJobRepository);
const job = await jobs.create('alice', {
  provider: 'dexcom',
  scheduled_at: '2026-01-01T00:00:00.000Z',
  window_start: at(0),
  window_end: at(60),
});
show('job created', job.status);
show('jobs of user', (await jobs.listByUser('alice')).items.length);
show('jobs due', (await jobs.listDue(new Date().toISOString())).items.map((j) => j.job_id === job.job_id));
const claimed = await jobs.claim(job.job_id, 'worker-1', 60_000);
show('job claimed', claimed?.status);
show('job claimed again by another worker', await jobs.claim(job.job_id, 'worker-2', 60_000));
show('job heartbeat', (await jobs.heartbeat(job.job_id, 'worker-1', 60_000)).lease_owner);
show('job failed once (rescheduled)', (await jobs.fail(job.job_id, 'worker-1', 'provider timeout')).status);
const second = await jobs.create('alice', { provider: 'dexcom', scheduled_at: '2026-01-01T00:00:00.000Z', window_start: at(0), window_end: at(5) });
const won = await jobs.claimDue('worker-3', 60_000, 5);
show('jobs claimed from the due list', won.map((j) => j.job_id === second.job_id));
show('job completed', (await jobs.complete(second.job_id, 'worker-3', 288)).records_synced);
show('job cancelled', (await jobs.cancel(job.job_id)).status);
show('job get', (await jobs.get(job.job_id))?.status);
show('expired leases', (await jobs.listExpiredLeases(new Date().toISOString())).items.length);

// ── health log (its four query patterns: day, time range, medication, pain level) ──────────
const entries = container.get(HealthEntryRepository);
await entries.save('2025-05-23', '0800', { medications: { oxycodone: '5mg' }, pain: { back: '6-7-8' }, o2: '88', bpr: '129/59' });
await entries.save('2025-05-23', '1300', { medications: { journavx: '100mg', oxycodone: '5mg' }, pain: { quads: '5' }, sleep: '7:39' });
await entries.save('2025-05-24', '0900', { medications: { journavx: '100mg' }, pain: { back: '7/8' }, activities: { walking: 16 } });
show('entry get (derived attributes)', await entries.get('2025-05-23', '0800').then((e) => [e?.max_pain_level, e?.systolic, e?.o2_percent]));
show('entries of a date', (await entries.listByDate('2025-05-23')).items.map((e) => e.timestamp));
show('entries of a date between two times', (await entries.listByDate('2025-05-23', { from: '1200', to: '1800' })).items.map((e) => e.timestamp));
show('entries with oxycodone (any position)', (await entries.listByMedication('oxycodone')).items.map((e) => `${e.date}/${e.timestamp}`).sort());
show('entries with journavx between dates', (await entries.listByMedication('journavx', { from: '2025-05-24', to: '2025-05-31' })).items.map((e) => e.date));
show('entries with max pain 8', (await entries.listByPainLevel(8)).items.map((e) => `${e.date}/${e.timestamp}`).sort());
let days = 0;
for await (const _entry of entries.iterateDates('2025-05-20', '2025-05-31')) days++;
show('entries iterated over a date range', days);

// ── daily summaries ─────────────────────────────────────────────────────
const summaries = container.get(DailySummaryRepository);
const summary = await summaries.rebuild('2025-05-23');
show('summary rebuilt', [summary?.entry_count, summary?.max_pain_level]);
show('summaries rebuilt over a range', (await summaries.rebuildRange('2025-05-20', '2025-05-31')).saved.length);
show('summaries of a range', (await summaries.listRange('2025-05-20', '2025-05-31')).items.map((s) => s.date));
show('summary get', (await summaries.get('2025-05-24'))?.entry_count);
show('entry deleted (with its index items)', (await entries.delete('2025-05-23', '1300'))?.timestamp);
show('entries with journavx after delete', (await entries.listByMedication('journavx')).items.map((e) => e.date));

// ── the health log service: entry writes that keep their day's summary current ──────────
const health = container.get(HealthLogService);
await health.saveEntry('2025-06-01', '0800', { medications: { tylenol: '500mg' }, pain: { knee: '4' } });
await health.saveEntry('2025-06-01', '2000', { pain: { knee: '6' } });
show('summary after saveEntry', await summaries.get('2025-06-01').then((s) => [s?.entry_count, s?.max_pain_level]));
await health.deleteEntry('2025-06-01', '2000');
show('summary after deleteEntry', await summaries.get('2025-06-01').then((s) => [s?.entry_count, s?.max_pain_level]));
const imported = await health.importDays([
  { date: '2025-06-02', time: '0800', input: { pain: { back: '5' } } },
  { date: '2025-06-03', time: '0900', input: { note: 'rest day' } },
]);
show('days imported, summaries rebuilt', [imported.entries.length, (await summaries.listRange('2025-06-02', '2025-06-03')).items.map((s) => s.date)]);

for (const entity of allEntities) await db.tables.deleteTable({ tableName: entity.tableName(prefix) });
await container.unbindAll();
console.log('done');
