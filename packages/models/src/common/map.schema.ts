import { z } from 'zod';

/**
 * Map keys that cannot be data, and why. Every other name (`toString`,
 * `hasOwnProperty`, `valueOf`, …) is stored and read back like any other.
 * - `__proto__`: plain-object code treats it as the prototype, not a key —
 *   zod's records skip it, the AWS SDK's marshaller (`map[key] = …`) drops it
 *   and its unmarshaller would make it the prototype of what it reads.
 * - `constructor`: the AWS SDK's marshaller decides "plain object" by
 *   `value.constructor.name === 'Object'`, so a map with this key is taken
 *   for a class instance and the whole write fails.
 */
export const RESERVED_MAP_KEYS: ReadonlyMap<string, string> = new Map([
  ['__proto__', 'JavaScript objects treat it as their prototype, so it cannot be stored'],
  ['constructor', "the AWS SDK's DynamoDB marshaller cannot store a map with this key"],
]);

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * A record schema that refuses a reserved key at its path
 * (`["medications", "__proto__"]`) instead of dropping it or failing later.
 * The check runs on the raw input: a record's output no longer has `__proto__`.
 */
export function mapSchema<T extends z.ZodType>(record: T) {
  return z.preprocess((input, ctx) => {
    if (isObject(input)) {
      for (const [key, reason] of RESERVED_MAP_KEYS) {
        if (Object.hasOwn(input, key)) ctx.addIssue({ code: 'custom', path: [key], input, message: `${JSON.stringify(key)} cannot be a name: ${reason}` });
      }
    }
    return input;
  }, record);
}
