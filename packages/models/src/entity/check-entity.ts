import type { z } from 'zod';
import { ModelError } from '../common/model-error.ts';
import type { KeyValue } from '../tables/index-keys.ts';
import type { KeyAttribute, TableDefinition } from '../tables/table-definition.ts';
import { anyOf, attributeKind, objectShapes, presentValueSchema, type KeyScalarType } from './entity-schema.ts';
import type { KeyDeclaration } from './entity-types.ts';

/** An entity definition as checked at run time, its types already erased. */
export interface UncheckedEntity {
  readonly name: string;
  readonly table: string;
  readonly schema: z.ZodType;
  readonly key: KeyDeclaration;
  readonly indexes?: Readonly<Record<string, KeyDeclaration>>;
  readonly ttlAttribute?: string;
  readonly keySchemas?: Readonly<Record<string, z.ZodType | undefined>>;
}

/** What a checked definition yields: its table as data, and the schema each key attribute's values must pass. */
export interface CheckedEntity {
  readonly table: TableDefinition;
  readonly keyValueSchemas: ReadonlyMap<string, z.ZodType<KeyValue>>;
}

const TYPE_NAMES: Readonly<Record<KeyScalarType, string>> = { S: 'a string', N: 'a number' };

/**
 * Checks a definition against its schema and derives its table. Every key,
 * index and TTL attribute must be in the schema (a table key attribute in
 * every member of a union, never optional; an index attribute in at least
 * one member) with a key type: string-like or number-like, a number for the
 * TTL; an attribute is never both. Anything else throws
 * `models.invalidEntityDefinition`, `entity <name>: …`.
 */
export function checkEntityDefinition(definition: UncheckedEntity): CheckedEntity {
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new ModelError('models.invalidEntityDefinition', `entity ${definition.name}: ${message}`, {
      entity: definition.name,
      ...details,
    });
  };
  const found = objectShapes(definition.schema);
  const shapes = typeof found === 'string' ? fail(found) : found;
  const keyValueSchemas = new Map<string, z.ZodType<KeyValue>>();

  /** The attribute's schema in each member that has it; a table key must be in every member. */
  const schemasOf = (attribute: string, role: string, inEveryMember: boolean): z.core.$ZodType[] => {
    const missing = shapes.findIndex((shape) => !Object.hasOwn(shape, attribute));
    if (missing !== -1 && (inEveryMember || shapes.every((shape) => !Object.hasOwn(shape, attribute)))) {
      const where = shapes.length === 1 || !inEveryMember ? 'the schema' : `member ${missing + 1} of the schema's union`;
      fail(`${role} attribute "${attribute}" is not in ${where}`, { attribute });
    }
    return shapes.filter((shape) => Object.hasOwn(shape, attribute)).map((shape) => shape[attribute] as z.core.$ZodType);
  };

  /** The attribute's one key type across the members that have it (and its `keySchemas` override). */
  const typeOf = (attribute: string, role: string, schemas: readonly z.core.$ZodType[], tableKey: boolean): KeyScalarType => {
    const types = new Set<KeyScalarType>();
    for (const schema of schemas) {
      const kind = attributeKind(schema);
      if (!kind.ok) return fail(`${role} attribute "${attribute}" ${kind.problem}`, { attribute });
      if (tableKey && kind.optional) {
        fail(`${role} attribute "${attribute}" is optional, but every item must carry its table key`, { attribute });
      }
      types.add(kind.type);
    }
    const override = definition.keySchemas?.[attribute];
    if (override !== undefined) {
      const kind = attributeKind(override);
      if (!kind.ok) return fail(`keySchemas.${attribute} ${kind.problem}`, { attribute });
      types.add(kind.type);
    }
    if (types.size > 1) fail(`attribute "${attribute}" is both S and N; a key attribute has one type`, { attribute });
    return [...types][0] as KeyScalarType;
  };

  const keyAttribute = (attribute: string, role: string, tableKey: boolean): KeyAttribute => {
    const schemas = schemasOf(attribute, role, tableKey);
    const type = typeOf(attribute, role, schemas, tableKey);
    const override = definition.keySchemas?.[attribute];
    keyValueSchemas.set(attribute, (override ?? anyOf(schemas.map(presentValueSchema))) as z.ZodType<KeyValue>);
    return { name: attribute, type };
  };

  const { key } = definition;
  const partitionKey = keyAttribute(key.partition, 'table key', true);
  const sortKey = key.sort === undefined ? undefined : keyAttribute(key.sort, 'table key', true);
  const globalSecondaryIndexes = Object.entries(definition.indexes ?? {}).map(([name, index]) => {
    const role = `index "${name}" key`;
    const indexPartition = keyAttribute(index.partition, role, false);
    const indexSort = index.sort === undefined ? undefined : keyAttribute(index.sort, role, false);
    return { name, partitionKey: indexPartition, ...(indexSort === undefined ? {} : { sortKey: indexSort }) };
  });

  for (const attribute of Object.keys(definition.keySchemas ?? {})) {
    if (!keyValueSchemas.has(attribute)) fail(`keySchemas.${attribute} names no key or index attribute`, { attribute });
  }

  const { ttlAttribute } = definition;
  if (ttlAttribute !== undefined) {
    const type = typeOf(ttlAttribute, 'TTL', schemasOf(ttlAttribute, 'TTL', false), false);
    if (type !== 'N') fail(`TTL attribute "${ttlAttribute}" must be a number (epoch seconds), not ${TYPE_NAMES[type]}`, { attribute: ttlAttribute });
  }

  const table: TableDefinition = {
    name: definition.table,
    partitionKey,
    ...(sortKey === undefined ? {} : { sortKey }),
    globalSecondaryIndexes,
    ...(ttlAttribute === undefined ? {} : { ttlAttribute }),
  };
  return { table, keyValueSchemas };
}
