import type { DynamoDBService, Item } from '@vitals/dynamodb-core';
import { accessTokenEntity } from '@vitals/models';
import { createHash } from 'node:crypto';

/** Every stored item of the access tokens table under `prefix`, as DynamoDB holds it. */
export async function storedAccessTokens(db: DynamoDBService, prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of db.items.scanPages({ tableName: accessTokenEntity.tableName(prefix) })) items.push(...page.items);
  return items;
}

/**
 * Every form of a token that must never be stored, logged or answered:
 * its text (as is and base64/hex encoded), its SHA-1 (a Nightscout
 * `api-secret`) and, for logs and responses, the stored hash too.
 */
export function secretFormsOf(token: string, options: { withHash: boolean }): string[] {
  const sha1 = createHash('sha1').update(token).digest('hex');
  const forms = [token, token.slice(4), sha1, sha1.toUpperCase(), Buffer.from(token).toString('base64'), Buffer.from(token).toString('hex')];
  return options.withHash ? [...forms, createHash('sha256').update(sha1).digest('hex')] : forms;
}
