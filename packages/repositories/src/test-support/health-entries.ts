import type { DynamoDBService } from '@vitals/dynamodb-core';
import type { HealthEntry } from '@vitals/models';

/** An entry as `date/timestamp`, the form the health-entry specs compare entries in. */
export const keyOf = (entry: HealthEntry) => `${entry.date}/${entry.timestamp}`;

/** Every item stored in a date's partition of `tableName`, entries and index items alike, as `timestamp`s. */
export const timestampsStored = async (db: DynamoDBService, tableName: string, date: string) =>
  (
    await db.items.query({
      tableName,
      keyConditionExpression: '#d = :d',
      expressionAttributeNames: { '#d': 'date' },
      expressionAttributeValues: { ':d': date },
    })
  ).map((item) => item['timestamp']);
