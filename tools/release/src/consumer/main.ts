/*
 * The consumer of the publish test: a project outside the workspace that
 * installs @vitals/dynamodb-core, @vitals/models and @vitals/repositories from
 * a registry and compiles this file with its own strict tsc. It builds a
 * container, creates the tables a readings save writes (the readings, their
 * daily rollups and the user settings that give the rollups' zone) on the
 * DynamoDB at DYNAMODB_ENDPOINT and round-trips one glucose reading, then
 * prints what it saw as JSON.
 */
import { DynamoDBService, createLogger, dynamoDBCoreModule } from '@vitals/dynamodb-core';
import { glucoseReadingEntity, glucoseRollupEntity, userSettingsEntity, type GlucoseReading, type GlucoseReadingInputBody } from '@vitals/models';
import { GlucoseReadingRepository, createMissingTables, repositoriesModule } from '@vitals/repositories';
import { Container } from 'inversify';
import { randomBytes } from 'node:crypto';

const endpoint = process.env['DYNAMODB_ENDPOINT'];
if (endpoint === undefined) throw new Error('set DYNAMODB_ENDPOINT to a DynamoDB (Local) endpoint');
const prefix = `consumer-${randomBytes(4).toString('hex')}-`;

const container = new Container();
await container.load(
  dynamoDBCoreModule({
    config: { region_name: 'us-east-1', endpoint_url: endpoint, aws_access_key_id: 'local', aws_secret_access_key: 'local' },
    logger: createLogger({ level: 'warn' }),
  }),
  repositoriesModule({
    settings: { table_prefix: prefix, strict: true, cursor_secret: randomBytes(32).toString('base64') },
    tokenKeys: { current_key_id: 'k1', keys: { k1: randomBytes(32).toString('base64') } },
  }),
);

const db = container.get(DynamoDBService);
const entities = [glucoseReadingEntity, glucoseRollupEntity, userSettingsEntity];
const created = await createMissingTables(db.tables, { prefix, tables: entities.map((entity) => entity.table) });
const readings = container.get(GlucoseReadingRepository);
const input: GlucoseReadingInputBody = {
  timestamp: '2026-03-01T08:05:00.000Z',
  glucose_value: 7.2,
  glucose_unit: 'mmol/L',
  trend_direction: 'steady',
  device_info: { device_id: 'g7', serial_number: 'SN-1' },
};
const saved: GlucoseReading = await readings.save('consumer', input);
const read: GlucoseReading | undefined = await readings.get('consumer', saved.timestamp);
const expectedTables = entities.map((entity) => entity.tableName(prefix));
for (const tableName of expectedTables) await db.tables.deleteTable({ tableName });
db.close();

console.log(JSON.stringify({ created, expectedTables, saved, read }));
