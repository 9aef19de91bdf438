import { glucoseReadingEntity, toCreateTableInput } from '@vitals/models';
import { DynamoDBService, createLogger } from '@vitals/dynamodb-core';
import { startLocalDynamoDB, type LocalDynamoDB } from '@vitals/local-dynamodb';
import { killCliWhen, runCli, uniquePrefix } from '../test-support/run-cli.ts';

const USERS = 10;
const PER_USER = 10_000;
const TOTAL = USERS * PER_USER;
const INDEX = 'user_id-srv_modified-index';
const START = Date.parse('2025-01-01T00:00:00.000Z');

/**
 * 100k items keep one DynamoDB Local busy, and DynamoDB Local builds a new index inside the
 * UpdateTable call (AWS answers at once and builds it after): every call here, the CLI's
 * included, gets minutes instead of the default seconds.
 */
const PATIENT = { DYNAMODB_REQUEST_TIMEOUT_MS: '120000', DYNAMODB_OPERATION_TIMEOUT_MS: '300000' };

/** The readings table as the definition before the change feed made it: without the feed's index. */
const previousReadingsTable = {
  ...glucoseReadingEntity.table,
  globalSecondaryIndexes: glucoseReadingEntity.table.globalSecondaryIndexes.filter((index) => index.name !== INDEX),
};

function oldReading(user: number, i: number): Record<string, unknown> {
  const timestamp = new Date(START + i * 300_000).toISOString();
  const updated = new Date(START + i * 300_000 + 60_000 + user).toISOString();
  return {
    user_id: `backfill-${user}`,
    timestamp,
    glucose_value: 70 + ((i * 7 + user) % 200),
    glucose_unit: 'mg/dL',
    trend_direction: 'steady',
    device_info: { device_id: 'g6', serial_number: 'SN-OLD' },
    reading_type: 'CGM',
    source: 'dexcom',
    created_at: updated,
    updated_at: updated,
  };
}

describe('vitals-migrate tables apply and readings backfill-srv-modified on a table of the previous definition', () => {
  const prefix = uniquePrefix();
  const table = glucoseReadingEntity.tableName(prefix);
  // A DynamoDB Local of its own, as the repositories' add-an-index test has: on the suite's shared one, after the
  // other specs, UpdateTable's index build over the 100k items did not finish within five minutes in CI, where it
  // had taken about one before the suite gained the rollups specs. Why the shared instance stalls is not known.
  let own: LocalDynamoDB;
  let db: DynamoDBService;
  let env: Record<string, string>;
  beforeAll(async () => {
    own = await startLocalDynamoDB();
    env = { TABLE_PREFIX: prefix, DYNAMODB_ENDPOINT: own.endpoint, ...PATIENT };
    db = new DynamoDBService(createLogger({ level: 'silent' }), {
      region_name: 'us-east-1',
      endpoint_url: own.endpoint,
      aws_access_key_id: 'local',
      aws_secret_access_key: 'local',
      request_timeout_ms: 120_000,
      operation_timeout_ms: 300_000,
    });
  }, 120_000);
  afterAll(async () => {
    db.close();
    await own.stop();
  });

  /** How many readings the feed's index holds (the stamped ones), counting at most `upTo` per user. */
  async function indexed(upTo = 0): Promise<number> {
    let count = 0;
    for (let user = 0; user < USERS; user++) {
      const items = await db.items.query({
        tableName: table,
        indexName: INDEX,
        keyConditionExpression: 'user_id = :u',
        expressionAttributeValues: { ':u': `backfill-${user}` },
        projectionExpression: 'srv_modified',
        limit: upTo,
      });
      count += items.length;
    }
    return count;
  }

  it('apply adds the index to the filled table; a backfill killed partway and run again stamps every reading once', async () => {
    const input = toCreateTableInput(previousReadingsTable, { prefix });
    await db.tables.createTable({ tableName: table, keySchema: input.KeySchema, attributeDefinitions: input.AttributeDefinitions, globalSecondaryIndexes: input.GlobalSecondaryIndexes });
    for (let user = 0; user < USERS; user++) {
      await db.items.batchWriteItems({ tableName: table, items: Array.from({ length: PER_USER }, (_, i) => oldReading(user, i)) });
    }

    const plan = await runCli(['tables', 'plan'], env);
    expect(plan).toMatchObject({ code: 0 });
    expect(plan.stderr).toContain(`would add index ${INDEX} (user_id, srv_modified N) to ${table}`);
    // Building the index over 100,000 items waits for DynamoDB Local's backfill of it: minutes on a loaded 2-core machine.
    const apply = await runCli(['tables', 'apply', '--json'], env, 300_000);
    expect({ code: apply.code, stderr: apply.stderr.slice(-2_000) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect((JSON.parse(apply.stdout) as { details: { actions: unknown[] } }).details.actions).toContainEqual({ table, action: 'createIndex', index: INDEX });
    const described = await db.tables.describeTable({ tableName: table });
    expect(described?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual([
      ['user_id-created_at-index', 'ACTIVE'],
      [INDEX, 'ACTIVE'],
    ]);
    expect(JSON.parse((await runCli(['tables', 'plan', '--json'], env)).stdout)).toMatchObject({ details: { actions: [] } });
    expect(await indexed()).toBe(0); // sparse: nothing has srv_modified yet

    let partial = 0;
    const stampedSome = async () => (partial = await indexed(300)) >= 1_000;
    const killed = await killCliWhen(['readings', 'backfill-srv-modified'], env, stampedSome, 600_000);
    expect(killed).toEqual({ signal: 'SIGKILL', ready: true });
    expect(partial).toBeLessThan(TOTAL);

    const rerun = await runCli(['readings', 'backfill-srv-modified', '--json'], env, 1_200_000);
    expect(rerun).toMatchObject({ code: 0 });
    const report = JSON.parse(rerun.stdout) as { read: number; written: number; skipped: unknown[] };
    expect(report.skipped).toEqual([]);
    expect(report.written).toBe(report.read);
    expect(report.read).toBeLessThanOrEqual(TOTAL - partial);
    expect(await indexed()).toBe(TOTAL);

    const stamped = await db.items.scan({ tableName: table, projectionExpression: 'updated_at, srv_modified' });
    expect(stamped).toHaveLength(TOTAL);
    expect(stamped.filter((item) => item['srv_modified'] !== Date.parse(String(item['updated_at'])))).toEqual([]);

    const third = JSON.parse((await runCli(['readings', 'backfill-srv-modified', '--json'], env)).stdout) as { read: number; written: number };
    expect(third).toMatchObject({ read: 0, written: 0 });
  }, 3_000_000);

  it('--help says what it does and that a re-run finishes a killed one', async () => {
    const help = await runCli(['readings', 'backfill-srv-modified', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('(from updated_at)');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('a killed run is finished by running it again');
    expect(help.stdout).toContain('--dry-run');
  });
});
