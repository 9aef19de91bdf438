import type { WriteCondition } from './types.ts';

/** The condition part of an action, asking for the old item whenever the condition can fail. */
export function conditionFields(action: WriteCondition) {
  return {
    ConditionExpression: action.conditionExpression,
    ExpressionAttributeNames: action.expressionAttributeNames,
    ExpressionAttributeValues: action.expressionAttributeValues,
    ...(action.conditionExpression ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
}
