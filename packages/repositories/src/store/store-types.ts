import type { Item, Key, TransactWriteItem, UpdateParams, WriteCondition } from '@vitals/dynamodb-core';
import type { KeyConditionInput, KeyValue, SortCondition } from '@vitals/models';
import type { SkippedItem } from './stored-items.ts';

/* What an EntityStore takes and returns. */

/** Attribute values naming an item by its table key, e.g. `{ user_id, timestamp }`. */
export type KeyValues = Readonly<Record<string, KeyValue>>;

/** A filter applied after the key condition; its placeholders must not be `#pk`, `#sk`, `:pk`, `:sk` or `:sk_hi`. */
export interface QueryFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

interface QueryOptions {
  filter?: QueryFilter;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** Strongly consistent (table key only): writes that just completed are visible. */
  consistentRead?: boolean;
}

/**
 * What to read: a partition of the table key or of an index named as the
 * entity declares it, optionally narrowed by a sort-key condition — or a key
 * condition the entity's own key builders made (`where`).
 */
export type StoreQuery<I extends string = string> = QueryOptions &
  ({ index?: I; partition: KeyValue; sort?: SortCondition<KeyValue> } | { where: KeyConditionInput });

/** A query of the table's own key (no index). */
export type TableQuery = StoreQuery<never>;

export interface PageRequest {
  /** 1..1000, default 100. */
  limit?: number;
  /** `next_cursor` of the previous page of the same query. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque; `null` on the last page. */
  next_cursor: string | null;
  /** Invalid stored items left out of `items` (never in strict mode, which throws instead). */
  skipped: SkippedItem[];
}

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1_000;

/** One write of a transaction on this entity's table. */
export type StoreWrite =
  | { put: { item: Item; condition?: WriteCondition } }
  | { update: { key: Key; params: UpdateParams } }
  | { delete: { key: Key; condition?: WriteCondition } }
  | { conditionCheck: { key: Key; condition: Required<Pick<WriteCondition, 'conditionExpression'>> & WriteCondition } };

/**
 * One action of a transaction that may span tables, made by
 * {@link EntityStore.action} (the store names its table) and sent by
 * `EntityStores.transact`.
 */
export interface StoreAction {
  readonly entityName: string;
  readonly action: TransactWriteItem;
}
