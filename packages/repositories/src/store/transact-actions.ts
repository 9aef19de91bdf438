import { VitalsError, type DynamoDBItems, type Key, type TransactWriteItem } from '@vitals/dynamodb-core';
import { conflict } from '../errors/repository-errors.ts';

/**
 * Sends one all-or-nothing transaction (up to 100 actions, any tables). A
 * failed condition or a concurrent transaction on one of the items is
 * `repository.conflict` on `entityName` / `key`; every other failure as it came.
 */
export async function transactActions(items: DynamoDBItems, actions: TransactWriteItem[], entityName: string, key: Key): Promise<void> {
  try {
    await items.transactWrite({ actions });
  } catch (error) {
    const lostRace =
      VitalsError.is(error, 'dynamodb.transactionCanceled') &&
      error.details.reasons.some((reason) => reason.code === 'ConditionalCheckFailed' || reason.code === 'TransactionConflict');
    if (!lostRace) throw error;
    throw conflict(entityName, key, { cause: error });
  }
}
