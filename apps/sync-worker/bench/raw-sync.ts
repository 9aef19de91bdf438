/*
 * The baseline: the same sync written by hand, with nothing of ours on the
 * way — per user, one `egvs` call with plain `fetch` and the user's bearer
 * token, each record turned into an item shaped like a stored reading
 * (`srv_modified` included, so the change feed's index is written for it as
 * for a stored reading), and the items written by a parallel BatchWrite (every 25-item request of the
 * user in flight at once, unprocessed items sent again) into the readings
 * table, made as the worker's is (the benchmark's `ensureTables`). `concurrency` users at a time,
 * as the worker runs that many jobs at a time. No validation, no leases, no
 * job records, no read before the write.
 *
 * `readFirst` adds the one thing the worker's store does per chunk that a
 * blind writer does not: a strongly consistent BatchGet of the chunk's keys
 * before the write (the repository reads first so that an unchanged reading
 * is not written again). Run beside the plain loop, it prices that read on
 * its own.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { formatDexcomTime } from '@vitals/dexcom-client';
import { GLUCOSE_HIGH_SENTINEL, GLUCOSE_LOW_SENTINEL, trendFromDexcom } from '@vitals/models';
import { pool } from './bench-stage.ts';

export interface RawUser {
  login: string;
  accessToken: string;
}

export interface RawSyncOptions {
  document: DynamoDBDocumentClient;
  table: string;
  dexcomUrl: string;
  window: { start: Date; end: Date };
  concurrency: number;
  readFirst?: boolean;
}

/** A Dexcom v3 EGV record, as far as the baseline reads it. */
interface Egv {
  recordId: string;
  systemTime: string;
  transmitterId: string | null;
  value: number | null;
  status: string | null;
  trend: string | null;
  trendRate: number | null;
  displayDevice: string;
  transmitterGeneration: string;
}

type Item = Record<string, unknown>;

/** `systemTime` as a UTC instant: receivers send no offset (UTC), the apps `+00:00`. */
function utc(systemTime: string): string {
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(systemTime) ? systemTime : `${systemTime}Z`).toISOString();
}

function itemOf(login: string, record: Egv, at: string, atMs: number): Item {
  const low = record.status === 'low' || (record.value !== null && record.value < 40);
  const high = record.status === 'high' || (record.value !== null && record.value > 400);
  const transmitter = record.transmitterId ?? undefined;
  return {
    user_id: login,
    timestamp: utc(record.systemTime),
    glucose_value: low ? GLUCOSE_LOW_SENTINEL : high ? GLUCOSE_HIGH_SENTINEL : record.value,
    ...(low ? { out_of_range: 'low' } : high ? { out_of_range: 'high' } : {}),
    glucose_unit: 'mg/dL',
    trend_direction: trendFromDexcom(record.trend),
    device_info: { device_id: record.displayDevice, serial_number: transmitter ?? record.displayDevice, ...(transmitter ? { transmitter_id: transmitter } : {}) },
    reading_type: 'CGM',
    source: 'dexcom',
    dexcom: {
      record_id: record.recordId,
      ...(record.trend === null ? {} : { trend: record.trend }),
      ...(record.trendRate === null ? {} : { trend_rate: record.trendRate }),
      transmitter_generation: record.transmitterGeneration,
      display_device: record.displayDevice,
    },
    created_at: at,
    updated_at: at,
    srv_modified: atMs,
  };
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < values.length; at += size) out.push(values.slice(at, at + size));
  return out;
}

async function writeAll(document: DynamoDBDocumentClient, table: string, items: readonly Item[]): Promise<void> {
  await Promise.all(
    chunks(items, 25).map(async (chunk) => {
      let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const output = await document.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (output.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }),
  );
}

async function readAll(document: DynamoDBDocumentClient, table: string, items: readonly Item[]): Promise<number> {
  const found = await Promise.all(
    chunks(items, 100).map(async (chunk) => {
      let keys: Item[] = chunk.map((item) => ({ user_id: item['user_id'], timestamp: item['timestamp'] }));
      let count = 0;
      while (keys.length > 0) {
        const output = await document.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
        count += output.Responses?.[table]?.length ?? 0;
        keys = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      }
      return count;
    }),
  );
  return found.reduce((sum, count) => sum + count, 0);
}

/** Syncs every user's window; resolves with the items written per user, in `users`' order. */
export async function rawSync(users: readonly RawUser[], options: RawSyncOptions): Promise<number[]> {
  const { document, table } = options;
  const query = `startDate=${formatDexcomTime(options.window.start)}&endDate=${formatDexcomTime(options.window.end)}`;
  return pool(users, options.concurrency, async (user) => {
    const response = await fetch(`${options.dexcomUrl}/v3/users/self/egvs?${query}`, { headers: { authorization: `Bearer ${user.accessToken}` } });
    const body = (await response.json()) as { records?: Egv[] };
    if (response.status !== 200 || !Array.isArray(body.records)) throw new Error(`raw loop: egvs answered ${response.status} for ${user.login}`);
    const now = new Date();
    const at = now.toISOString();
    const items = body.records.map((record) => itemOf(user.login, record, at, now.getTime()));
    if (options.readFirst) await readAll(document, table, items);
    await writeAll(document, table, items);
    return items.length;
  });
}
