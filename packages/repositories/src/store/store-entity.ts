import type { AnyEntity, KeyConditionInput, KeyValue, SortCondition } from '@vitals/models';

/** Key builders as the store calls them: a partition value and, for a composite key, an optional sort condition. */
interface StoreKeys {
  keyCondition(partition: KeyValue, sort?: SortCondition<KeyValue>): KeyConditionInput;
}

/**
 * What the store needs of an entity definition (any `defineEntity` result
 * fits): its table, the key builders of its table key and of each index by
 * name, and how to make and read a table key.
 */
export interface StoreEntity extends AnyEntity {
  readonly primary: StoreKeys;
  readonly indexes: Readonly<Record<string, StoreKeys>>;
  key(values: never): object;
  keyOf(item: never): object;
}

/** The index names an entity declares. */
export type IndexNameOf<E> = E extends { readonly indexes: infer X } ? keyof X & string : never;
