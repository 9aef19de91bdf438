/*
 * A runnable tour of @vitals/dynamodb-core. With `npm start` running (it
 * serves DynamoDB Local on 127.0.0.1:8000), from the repository root:
 *
 *   npx tsx --tsconfig tsconfig.base.json --conditions=@vitals/source \
 *     packages/dynamodb-core/examples/quick-start.ts [endpoint]
 */
import { DynamoDBService, VitalsError, createLogger, dynamoDBSettingsFromEnv } from '../src/index.ts'; // consumers: '@vitals/dynamodb-core'

const endpoint = process.argv[2] ?? 'http://127.0.0.1:8000';
const table = `quick-start-${Date.now()}`;
// Apps build the config from their environment (pass process.env); any env-like object works.
const { config } = dynamoDBSettingsFromEnv({
  DYNAMODB_ENDPOINT: endpoint,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  DYNAMODB_DEFAULT_TABLE: table,
});
const service = new DynamoDBService(createLogger({ level: 'warn' }), config);

await service.tables.createTable({
  tableName: table,
  keySchema: [
    { AttributeName: 'date', KeyType: 'HASH' },
    { AttributeName: 'timestamp', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'date', AttributeType: 'S' },
    { AttributeName: 'timestamp', AttributeType: 'S' },
  ],
});

// Item operations fall back to default_table_name.
await service.items.putItem({ item: { date: '2025-05-23', timestamp: '1300', medications: { oxycodone: '5mg' }, o2: '88' } });
console.log(`get: ${JSON.stringify(await service.items.getItem({ key: { date: '2025-05-23', timestamp: '1300' } }))}`);

// 1,000 items in chunks of 25, several requests in flight, unprocessed items retried.
await service.items.batchWriteItems({
  items: Array.from({ length: 1_000 }, (_, i) => ({ date: '2025-05-24', timestamp: String(i).padStart(4, '0') })),
});

// `date` and `timestamp` are reserved words: address them through expression attribute names.
const afternoon = await service.items.query({
  keyConditionExpression: '#date = :date AND #timestamp BETWEEN :from AND :to',
  expressionAttributeNames: { '#date': 'date', '#timestamp': 'timestamp' },
  expressionAttributeValues: { ':date': '2025-05-24', ':from': '0100', ':to': '0199' },
});
console.log(`query: ${afternoon.length} items`);

// A failed condition carries the item as it is.
try {
  await service.items.putItem({
    item: { date: '2025-05-23', timestamp: '1300' },
    condition: { conditionExpression: 'attribute_not_exists(#date)', expressionAttributeNames: { '#date': 'date' } },
  });
} catch (error) {
  if (VitalsError.is(error, 'dynamodb.conditionFailed')) {
    console.log(`condition failed; existing o2: ${String(error.details.existing_item?.['o2'])}`);
  }
  else throw error;
}

await service.tables.deleteTable({ tableName: table });
service.close();
