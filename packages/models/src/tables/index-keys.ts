import type { z } from 'zod';
import { ModelError } from '../common/model-error.ts';

/** A key attribute value: DynamoDB S or N. */
export type KeyValue = string | number;

/** A condition on the sort key of a query; `beginsWith` only suits string sort keys. */
export type SortCondition<V extends KeyValue> =
  | { readonly eq: V }
  | { readonly lt: V }
  | { readonly lte: V }
  | { readonly gt: V }
  | { readonly gte: V }
  | { readonly between: readonly [V, V] }
  | { readonly beginsWith: string };

/**
 * The key-condition part of a query, named as `@vitals/dynamodb-core`'s
 * query parameters are (camelCase), so it spreads into them. Placeholders
 * are `#pk`/`#sk` and `:pk`/`:sk`/`:sk_hi`, so callers adding a filter must
 * pick other names. Names are always aliased: `date` and `timestamp` are
 * reserved words.
 */
export interface KeyConditionInput {
  indexName?: string;
  keyConditionExpression: string;
  expressionAttributeNames: Record<string, string>;
  expressionAttributeValues: Record<string, KeyValue>;
}

/** A key attribute of an index: its name and the schema every value must pass. */
export interface KeyPart<N extends string, V extends KeyValue> {
  readonly name: N;
  readonly schema: z.ZodType<V>;
}

/** Keys of a table or index whose key is a partition key only. */
export interface PartitionKeys<P extends string, PV extends KeyValue> {
  /** GSI name, or `undefined` for the table's own key. */
  readonly indexName: string | undefined;
  readonly partitionKey: P;
  /** `{ [partitionKey]: value }`, after checking the value. */
  partition(value: PV): { readonly [K in P]: PV };
  /** Query input selecting the whole partition. */
  keyCondition(partition: PV): KeyConditionInput;
}

/** Keys of a table or index with a partition and a sort key. */
export interface CompositeKeys<P extends string, PV extends KeyValue, S extends string, SV extends KeyValue>
  extends PartitionKeys<P, PV> {
  readonly sortKey: S;
  /** `{ [sortKey]: value }`, after checking the value. */
  sort(value: SV): { readonly [K in S]: SV };
  /** Query input for a partition, optionally narrowed by a sort-key condition. */
  keyCondition(partition: PV, sort?: SortCondition<SV>): KeyConditionInput;
}

/** Checks one key value against its schema; a bad key is a programmer error, so it throws. */
export function checkKeyValue<V extends KeyValue>(part: KeyPart<string, V>, value: V, context: string): V {
  const result = part.schema.safeParse(value);
  if (!result.success) {
    const reason = result.error.issues.map((issue) => issue.message).join('; ');
    throw new ModelError(
      'models.invalidKey',
      `${context}: ${part.name} ${JSON.stringify(value)} is not a valid key value (${reason})`,
      { context, attribute: part.name, value },
    );
  }
  return value;
}

function single<N extends string, V extends KeyValue>(name: N, value: V): { readonly [K in N]: V } {
  return { [name]: value } as { readonly [K in N]: V };
}

function withIndexName(indexName: string | undefined): { indexName?: string } {
  return indexName === undefined ? {} : { indexName };
}

/** Defines the key builders of a partition-key-only table or index. */
export function definePartitionKeys<P extends string, PV extends KeyValue>(definition: {
  readonly context: string;
  readonly indexName?: string;
  readonly partition: KeyPart<P, PV>;
}): PartitionKeys<P, PV> {
  const { context, indexName, partition } = definition;
  const build = (value: PV) => single(partition.name, checkKeyValue(partition, value, context));
  return {
    indexName,
    partitionKey: partition.name,
    partition: build,
    keyCondition: (value) => ({
      ...withIndexName(indexName),
      keyConditionExpression: '#pk = :pk',
      expressionAttributeNames: { '#pk': partition.name },
      expressionAttributeValues: { ':pk': checkKeyValue(partition, value, context) },
    }),
  };
}

function sortExpression<SV extends KeyValue>(
  condition: SortCondition<SV>,
  check: (value: SV) => SV,
  context: string,
): { expression: string; values: Record<string, KeyValue> } {
  if ('between' in condition) {
    const [low, high] = condition.between;
    check(low);
    check(high);
    if (low > high) {
      throw new ModelError(
        'models.invalidKey',
        `${context}: between(${JSON.stringify(low)}, ${JSON.stringify(high)}) has its bounds reversed`,
        { context, low, high },
      );
    }
    return { expression: '#sk BETWEEN :sk AND :sk_hi', values: { ':sk': low, ':sk_hi': high } };
  }
  if ('beginsWith' in condition) {
    if (typeof condition.beginsWith !== 'string' || condition.beginsWith === '') {
      throw new ModelError('models.invalidKey', `${context}: beginsWith needs a non-empty string prefix`, {
        context,
      });
    }
    return { expression: 'begins_with(#sk, :sk)', values: { ':sk': condition.beginsWith } };
  }
  const operators = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
  const key = (Object.keys(operators) as (keyof typeof operators)[]).find((op) => op in condition);
  if (key === undefined) {
    throw new ModelError('models.invalidKey', `${context}: unknown sort condition`, { context });
  }
  const value = (condition as Record<typeof key, SV>)[key];
  return { expression: `#sk ${operators[key]} :sk`, values: { ':sk': check(value) } };
}

/** Defines the key builders of a table or index with partition and sort key. */
export function defineCompositeKeys<P extends string, PV extends KeyValue, S extends string, SV extends KeyValue>(definition: {
  readonly context: string;
  readonly indexName?: string;
  readonly partition: KeyPart<P, PV>;
  readonly sort: KeyPart<S, SV>;
}): CompositeKeys<P, PV, S, SV> {
  const { context, indexName, partition, sort } = definition;
  const base = definePartitionKeys({ context, indexName, partition });
  return {
    ...base,
    sortKey: sort.name,
    sort: (value) => single(sort.name, checkKeyValue(sort, value, context)),
    keyCondition: (partitionValue, condition) => {
      const head = base.keyCondition(partitionValue);
      if (condition === undefined) return head;
      const tail = sortExpression(condition, (value: SV) => checkKeyValue(sort, value, context), context);
      return {
        ...head,
        keyConditionExpression: `${head.keyConditionExpression} AND ${tail.expression}`,
        expressionAttributeNames: { ...head.expressionAttributeNames, '#sk': sort.name },
        expressionAttributeValues: { ...head.expressionAttributeValues, ...tail.values },
      };
    },
  };
}
