import type { z } from 'zod';
import type { CompositeKeys, KeyValue, PartitionKeys } from '../tables/index-keys.ts';
import type { TableDefinition } from '../tables/table-definition.ts';

/** The key attributes of a table or index: a partition key and, for a composite key, a sort key. */
export interface KeyDeclaration<A extends string = string> {
  readonly partition: A;
  readonly sort?: A;
}

/** Attribute names every member of an item type has (for a union: the ones all members share). */
export type CommonAttribute<T> = keyof T & string;

/** Attribute names at least one member of an item type has. */
export type AnyAttribute<T> = T extends unknown ? keyof T & string : never;

/** Per key attribute, a schema that replaces the item schema's when a key value is checked. */
export type KeySchemas<T> = { readonly [A in AnyAttribute<T>]?: z.ZodType<KeyValue> };

type ValueAt<T, A extends string> = T extends unknown ? (A extends keyof T ? Exclude<T[A], undefined> : never) : never;

/** The value type of key attribute `A`: its `keySchemas` schema's output if it has one, else the item's. */
export type KeyValueOf<T, KS, A extends string> = A extends keyof KS
  ? z.output<NonNullable<KS[A]>> & KeyValue
  : Extract<ValueAt<T, A>, KeyValue>;

type SortOf<D> = D extends { readonly sort: infer S extends string } ? S : never;

/** The key builders of a declared key: {@link CompositeKeys} when it has a sort key, else {@link PartitionKeys}. */
export type KeyBuilders<T, KS, D extends KeyDeclaration> = [SortOf<D>] extends [never]
  ? PartitionKeys<D['partition'], KeyValueOf<T, KS, D['partition']>>
  : CompositeKeys<D['partition'], KeyValueOf<T, KS, D['partition']>, SortOf<D>, KeyValueOf<T, KS, SortOf<D>>>;

/** A full key of a declaration: each of its attributes with its value type. */
export type KeyOf<T, KS, D extends KeyDeclaration> = { [A in D['partition'] | SortOf<D>]: KeyValueOf<T, KS, A> };

/** What `defineEntity` is given. */
export interface EntityConfig<
  Schema extends z.ZodType,
  Key extends KeyDeclaration,
  Indexes extends Readonly<Record<string, KeyDeclaration>>,
  KS,
> {
  /** The entity's name in messages and reports, e.g. `GlucoseReading`. */
  readonly name: string;
  /** The table's name without the deployment prefix. */
  readonly table: string;
  /** The stored item: an object schema, or a union of them when one table holds several kinds of item. */
  readonly schema: Schema;
  /** The table key; every member of the schema has these attributes, never optional. */
  readonly key: Key;
  /** Global secondary indexes by name, in creation order; at least one member of the schema has their attributes. */
  readonly indexes?: Indexes;
  /** The epoch-seconds attribute DynamoDB TTL deletes items by. */
  readonly ttlAttribute?: AnyAttribute<z.output<Schema>>;
  /** Schemas that replace the item schema's when a key value is checked (e.g. a sort key shared by two kinds of item). */
  readonly keySchemas?: KS;
}

/** What every entity has, whatever its schema and keys: enough to create, list and name its table. */
export interface AnyEntity {
  readonly name: string;
  readonly schema: z.ZodType;
  /** The table as data, derived from the definition (key types read from the schema). */
  readonly table: TableDefinition;
  /** The deployed table name, `prefix + table.name`, checked against DynamoDB's naming rules. */
  tableName(prefix?: string): string;
}

/** One entity: its schema, its table, and the key builders of its table key and of each index by name. */
export interface Entity<
  Schema extends z.ZodType,
  Key extends KeyDeclaration,
  Indexes extends Readonly<Record<string, KeyDeclaration>>,
  KS,
> extends AnyEntity {
  readonly schema: Schema;
  /** Key builders of the table key (no index name). */
  readonly primary: KeyBuilders<z.output<Schema>, KS, Key>;
  /** Key builders of each index, by its name. */
  readonly indexes: { readonly [N in keyof Indexes]: KeyBuilders<z.output<Schema>, KS, Indexes[N]> };
  /** The table key, every value checked (a bad one throws `models.invalidKey`). */
  key(key: KeyOf<z.output<Schema>, KS, Key>): KeyOf<z.output<Schema>, KS, Key>;
  /** The table-key attributes of an item, picked as they are (not checked: for reporting stored items too). */
  keyOf(item: z.output<Schema>): KeyOf<z.output<Schema>, KS, Key>;
}
