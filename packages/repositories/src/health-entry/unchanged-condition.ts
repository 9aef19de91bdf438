import type { Item, WriteCondition } from '@vitals/dynamodb-core';

/**
 * Optimistic locking for entities without a `version` attribute: a write
 * condition that holds only while the stored item is exactly `previous`
 * (every attribute equal, DynamoDB compares maps by value; every other
 * attribute the schema knows absent), or — for `undefined` — while nothing
 * is stored under the key. A concurrent writer makes the condition fail.
 */
export function unchangedCondition(
  previous: Item | undefined,
  partitionKey: string,
  knownAttributes: readonly string[],
): WriteCondition {
  if (previous === undefined) {
    return { conditionExpression: 'attribute_not_exists(#c_pk)', expressionAttributeNames: { '#c_pk': partitionKey } };
  }
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const present = Object.entries(previous).filter(([, value]) => value !== undefined);
  present.forEach(([name, value], index) => {
    names[`#c${index}`] = name;
    values[`:c${index}`] = value;
    terms.push(`#c${index} = :c${index}`);
  });
  const presentNames = new Set(present.map(([name]) => name));
  knownAttributes
    .filter((name) => !presentNames.has(name))
    .forEach((name, index) => {
      names[`#a${index}`] = name;
      terms.push(`attribute_not_exists(#a${index})`);
    });
  return { conditionExpression: terms.join(' AND '), expressionAttributeNames: names, expressionAttributeValues: values };
}
