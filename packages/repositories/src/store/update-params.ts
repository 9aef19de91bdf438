import type { UpdateParams } from '@vitals/dynamodb-core';

/**
 * Update parameters whose attribute names are the `#name` tokens of the
 * expressions (attribute names are snake_case identifiers), and whose
 * values are those of `values` the expressions use: DynamoDB rejects unused ones.
 */
export function updateParams(update: string, condition: string | undefined, values: Record<string, unknown>): UpdateParams {
  const text = `${update} ${condition ?? ''}`;
  const used = new Set(text.match(/:\w+/g) ?? []);
  return {
    updateExpression: update,
    ...(condition === undefined ? {} : { conditionExpression: condition }),
    expressionAttributeNames: Object.fromEntries([...new Set(text.match(/#\w+/g) ?? [])].map((token) => [token, token.slice(1)])),
    expressionAttributeValues: Object.fromEntries(Object.entries(values).filter(([token]) => used.has(token))),
  };
}
