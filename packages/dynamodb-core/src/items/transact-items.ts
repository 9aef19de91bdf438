import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { conditionFields } from './condition-fields.ts';
import type { TransactWriteItem } from './types.ts';

type SdkTransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Maps one of our transaction actions to the SDK's, resolving its table name. */
export function toSdkTransactItem(action: TransactWriteItem, resolveTable: (name?: string) => string): SdkTransactItem {
  if ('put' in action) {
    const { item, tableName } = action.put;
    return { Put: { TableName: resolveTable(tableName), Item: item, ...conditionFields(action.put) } };
  }
  if ('update' in action) {
    const { key, tableName, updateExpression } = action.update;
    return {
      Update: { TableName: resolveTable(tableName), Key: key, UpdateExpression: updateExpression, ...conditionFields(action.update) },
    };
  }
  if ('delete' in action) {
    const { key, tableName } = action.delete;
    return { Delete: { TableName: resolveTable(tableName), Key: key, ...conditionFields(action.delete) } };
  }
  const { key, tableName } = action.conditionCheck;
  return {
    ConditionCheck: {
      TableName: resolveTable(tableName),
      Key: key,
      ...conditionFields(action.conditionCheck),
      ConditionExpression: action.conditionCheck.conditionExpression,
    },
  };
}
