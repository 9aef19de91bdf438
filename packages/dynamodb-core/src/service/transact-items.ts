import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from './types.ts';

type SdkTransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Maps our transaction items to the SDK's, asking for the old item whenever a condition can fail. */
export function toSdkTransactItem(action: TransactWriteItem, resolveTable: (name?: string) => string): SdkTransactItem {
  const onFailure = (condition?: string) => (condition ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {});
  if ('put' in action) {
    const a = action.put;
    return {
      Put: {
        TableName: resolveTable(a.tableName),
        Item: a.item,
        ConditionExpression: a.conditionExpression,
        ExpressionAttributeNames: a.expressionAttributeNames,
        ExpressionAttributeValues: a.expressionAttributeValues,
        ...onFailure(a.conditionExpression),
      },
    };
  }
  if ('update' in action) {
    const a = action.update;
    return {
      Update: {
        TableName: resolveTable(a.tableName),
        Key: a.key,
        UpdateExpression: a.updateExpression,
        ConditionExpression: a.conditionExpression,
        ExpressionAttributeNames: a.expressionAttributeNames,
        ExpressionAttributeValues: a.expressionAttributeValues,
        ...onFailure(a.conditionExpression),
      },
    };
  }
  if ('delete' in action) {
    const a = action.delete;
    return {
      Delete: {
        TableName: resolveTable(a.tableName),
        Key: a.key,
        ConditionExpression: a.conditionExpression,
        ExpressionAttributeNames: a.expressionAttributeNames,
        ExpressionAttributeValues: a.expressionAttributeValues,
        ...onFailure(a.conditionExpression),
      },
    };
  }
  const a = action.conditionCheck;
  return {
    ConditionCheck: {
      TableName: resolveTable(a.tableName),
      Key: a.key,
      ConditionExpression: a.conditionExpression,
      ExpressionAttributeNames: a.expressionAttributeNames,
      ExpressionAttributeValues: a.expressionAttributeValues,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
