import type { z } from 'zod';
import { tableName } from '../tables/create-table-input.ts';
import {
  defineCompositeKeys,
  definePartitionKeys,
  type CompositeKeys,
  type KeyPart,
  type KeyValue,
  type PartitionKeys,
} from '../tables/index-keys.ts';
import { checkEntityDefinition } from './check-entity.ts';
import type {
  AnyAttribute,
  CommonAttribute,
  Entity,
  EntityConfig,
  KeyDeclaration,
  KeySchemas,
} from './entity-types.ts';

type Loose = Record<string, KeyValue>;

/**
 * Defines an entity once: its table, key, indexes by name and TTL attribute,
 * checked against its schema when defined (see `checkEntityDefinition`; a
 * mismatch throws `models.invalidEntityDefinition`). From it come the table
 * as data (`entity.table`, for `toCreateTableInput`), the table-key builders
 * (`entity.primary`, `entity.key`) and the key builders of each index by
 * name (`entity.indexes['user_id-created_at-index']`), each checking values
 * with the attribute's schema (or its `keySchemas` override) and typed by it.
 */
export function defineEntity<
  Schema extends z.ZodType,
  const Key extends KeyDeclaration<CommonAttribute<z.output<Schema>>>,
  const Indexes extends Readonly<Record<string, KeyDeclaration<AnyAttribute<z.output<Schema>>>>> = Record<never, never>,
  const KS extends KeySchemas<z.output<Schema>> = Record<never, never>,
>(config: EntityConfig<Schema, Key, Indexes, KS>): Entity<Schema, Key, Indexes, KS> {
  const { table, keyValueSchemas } = checkEntityDefinition(config);
  // Key-value errors keep naming the table, as they did before entities.
  const context = table.name;
  const part = (name: string): KeyPart<string, KeyValue> => ({ name, schema: keyValueSchemas.get(name) as z.ZodType<KeyValue> });
  const builders = (declaration: KeyDeclaration, indexName?: string): PartitionKeys<string, KeyValue> =>
    declaration.sort === undefined
      ? definePartitionKeys({ context, indexName, partition: part(declaration.partition) })
      : defineCompositeKeys({ context, indexName, partition: part(declaration.partition), sort: part(declaration.sort) });

  const primary = builders(config.key);
  const indexes = Object.fromEntries(
    Object.entries((config.indexes ?? {}) as Readonly<Record<string, KeyDeclaration>>).map(([name, index]) => [name, Object.freeze(builders(index, name))]),
  );
  const { partition, sort } = config.key as KeyDeclaration;
  const keyNames = sort === undefined ? [partition] : [partition, sort];
  const entity = {
    name: config.name,
    schema: config.schema,
    table,
    tableName: (prefix = '') => tableName(table, prefix),
    primary: Object.freeze(primary),
    indexes: Object.freeze(indexes),
    key: (key: Loose) => ({
      ...primary.partition(key[partition] as KeyValue),
      ...(sort === undefined ? {} : (primary as CompositeKeys<string, KeyValue, string, KeyValue>).sort(key[sort] as KeyValue)),
    }),
    keyOf: (item: Loose) => Object.fromEntries(keyNames.map((name) => [name, item[name]])),
  };
  return Object.freeze(entity) as unknown as Entity<Schema, Key, Indexes, KS>;
}
