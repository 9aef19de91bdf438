import { z } from 'zod';

/** The DynamoDB type of a key attribute as read from a schema: string-like `S` or number-like `N`. */
export type KeyScalarType = 'S' | 'N';

/** What a schema says about one attribute: its key type, or why it cannot be a key. */
export type AttributeKind =
  | { readonly ok: true; readonly type: KeyScalarType; readonly optional: boolean }
  | { readonly ok: false; readonly problem: string };

/** The shape of an object schema: attribute name → its schema. */
export type ObjectShape = Readonly<Record<string, z.core.$ZodType>>;

/** The parts of zod's schema definitions read here; zod 4 keeps them on `schema._zod.def`. */
interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly shape?: ObjectShape;
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly values?: readonly unknown[];
  readonly getter?: () => z.core.$ZodType;
}

function defOf(schema: z.core.$ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** Wrappers whose value, when present, is their inner schema's (refinements and brands do not wrap in zod 4). */
const TRANSPARENT = new Set(['default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/**
 * The object shapes an item schema allows: one for an object schema, one per
 * member for a union (nested unions flattened), or a problem for anything else.
 */
export function objectShapes(schema: z.core.$ZodType): ObjectShape[] | string {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape) return [def.shape];
  if (def.type === 'union' && def.options) {
    const shapes: ObjectShape[] = [];
    for (const option of def.options) {
      const found = objectShapes(option);
      if (typeof found === 'string') return found;
      shapes.push(...found);
    }
    return shapes;
  }
  return `schema must be an object or a union of objects, not ${def.type}`;
}

function typeOfValues(values: readonly unknown[], what: string): AttributeKind {
  if (values.length > 0 && values.every((value) => typeof value === 'string')) return { ok: true, type: 'S', optional: false };
  if (values.length > 0 && values.every((value) => typeof value === 'number')) return { ok: true, type: 'N', optional: false };
  return { ok: false, problem: `is ${what} of values that are not all strings or all numbers` };
}

/**
 * The key type of an attribute schema, after unwrapping optional, default,
 * pipe (its output side) and lazy: `S` for string-like (string, string
 * format, enum or literal of strings, template literal), `N` for number-like.
 * `optional` says whether an item may leave the attribute out. Nullable and
 * transformed schemas cannot be keys: DynamoDB has no null key, and a
 * transform's output type is unknown.
 */
export function attributeKind(schema: z.core.$ZodType): AttributeKind {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return { ok: true, type: 'S', optional: false };
    case 'number':
      return { ok: true, type: 'N', optional: false };
    case 'enum':
      return typeOfValues(Object.values(def.entries ?? {}), 'an enum');
    case 'literal':
      return typeOfValues(def.values ?? [], 'a literal');
    case 'optional': {
      const inner = attributeKind(def.innerType as z.core.$ZodType);
      return inner.ok ? { ...inner, optional: true } : inner;
    }
    case 'nullable':
      return { ok: false, problem: 'is nullable, and a key attribute cannot be null' };
    case 'pipe':
      if (def.out !== undefined && defOf(def.out).type === 'transform') {
        return { ok: false, problem: 'is transformed, so its stored type is unknown' };
      }
      return attributeKind(def.out as z.core.$ZodType);
    case 'transform':
      return { ok: false, problem: 'is transformed, so its stored type is unknown' };
    case 'lazy':
      return attributeKind((def.getter as () => z.core.$ZodType)());
    case 'union': {
      const kinds = (def.options ?? []).map(attributeKind);
      const failed = kinds.find((kind) => !kind.ok);
      if (failed) return failed;
      const types = new Set(kinds.map((kind) => (kind.ok ? kind.type : undefined)));
      if (types.size !== 1) return { ok: false, problem: 'is a union of string and number schemas' };
      return { ok: true, type: [...types][0] as KeyScalarType, optional: kinds.some((kind) => kind.ok && kind.optional) };
    }
    default:
      if (TRANSPARENT.has(def.type)) return attributeKind(def.innerType as z.core.$ZodType);
      return { ok: false, problem: `is of type ${def.type}, not a string or number` };
  }
}

/** The schema a present value of the attribute must pass: outer `optional` wrappers removed. */
export function presentValueSchema(schema: z.core.$ZodType): z.core.$ZodType {
  const def = defOf(schema);
  return def.type === 'optional' ? presentValueSchema(def.innerType as z.core.$ZodType) : schema;
}

/** One schema accepting what any of `schemas` accepts; the same schema object is used once. */
export function anyOf(schemas: readonly z.core.$ZodType[]): z.ZodType {
  const unique = [...new Set(schemas)] as z.ZodType[];
  return unique.length === 1 ? (unique[0] as z.ZodType) : z.union(unique);
}
