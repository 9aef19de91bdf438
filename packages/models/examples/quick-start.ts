/*
 * The README example, runnable (pure: no DynamoDB, no clock). From the root:
 *
 *   npx tsx --tsconfig tsconfig.base.json packages/models/examples/quick-start.ts
 *
 * The test suite runs it and checks the output against the README's comments.
 */
import {
  GlucoseReadingInputSchema,
  deriveHealthEntry,
  glucoseReadingEntity,
  glucoseStatistics,
  healthEntryEntity,
  healthEntryItems,
  toCreateTableInput,
  toGlucoseReading,
} from '../src/index.ts'; // consumers: '@vitals/models'

// 1. Validate what a client sent (mmol/L is converted to mg/dL) and build the stored item.
const input = GlucoseReadingInputSchema.parse({
  timestamp: '2025-05-23T13:00:00.000Z',
  glucose_value: 6.2,
  glucose_unit: 'mmol/L',
  device_info: { device_id: 'g7', serial_number: 'SN1' },
});
const reading = toGlucoseReading('u1', input, new Date('2025-05-23T13:05:00.000Z'));
console.log(reading.glucose_value, glucoseReadingEntity.keyOf(reading));
// 112 { user_id: 'u1', timestamp: '2025-05-23T13:00:00.000Z' }

// 2. The entity holds its table as data: a CreateTableCommandInput, here with a deployment prefix.
const create = toCreateTableInput(glucoseReadingEntity.table, { prefix: 'dev-' });
console.log(create.TableName === glucoseReadingEntity.tableName('dev-'), create.KeySchema.map((key) => key.AttributeName));
// true [ 'user_id', 'timestamp' ]

// 3. Key conditions for a query, by index name (names aliased: `date`, `timestamp` are reserved words).
const byCreatedAt = glucoseReadingEntity.indexes['user_id-created_at-index'];
console.log(byCreatedAt.keyCondition('u1', { gte: '2025-05-23T00:00:00.000Z' }).keyConditionExpression);
// #pk = :pk AND #sk >= :sk

// 4. Raw health-log notation → derived attributes, with every problem reported.
const derived = deriveHealthEntry(
  {
    date: '2025-05-23',
    timestamp: '1300',
    medications: { oxycodone: '5mg', journavx: '100mg' },
    pain: { back: '6-x-8', quads: '6-7-8' },
    activities: { walking: 16 },
    bpr: '129/59',
  },
  '0523/1300',
);
if (!derived.ok) console.log(derived.errors.map((error) => error.message));
// [ '0523/1300: pain.back "6-x-8" is not a pain level' ]

// 5. One entry → the items to write: the entry + one index item per extra medication.
const items = healthEntryItems(derived.value);
console.log(items.entry.medication_taken, items.medication_index_items.map((item) => item.timestamp));
// oxycodone [ 'med#journavx#1300' ]
console.log(healthEntryEntity.indexes['medication-index'].keyCondition('journavx').indexName); // medication-index

// 6. Glucose statistics over a window, by time: one reading stands for at most 2 × its cadence (5 min by default).
const stats = glucoseStatistics([reading], { from: '2025-05-23T00:00:00.000Z', to: '2025-05-24T00:00:00.000Z' });
console.log(stats.count, stats.mean, stats.gmi?.toFixed(2), stats.data_sufficiency.active_minutes, stats.data_sufficiency.sufficient);
// 1 112 5.99 30 false
