const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));

/**
 * Every leaf where two JSON-like values differ, as
 * `pain.back: "6-7-8" in the file, "6-7" in the table` (labels given by the
 * caller). Objects are compared key by key, whatever their key order;
 * anything else by its JSON text.
 */
export function valueDifferences(
  expected: unknown,
  actual: unknown,
  labels: { expected: string; actual: string },
  path = '',
): string[] {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    // Own properties only: a key such as `toString` missing on one side is absent, not Object.prototype's function.
    const own = (object: Record<string, unknown>, key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);
    return keys.flatMap((key) => valueDifferences(own(expected, key), own(actual, key), labels, path === '' ? key : `${path}.${key}`));
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [`${path === '' ? '(value)' : path}: ${show(expected)} ${labels.expected}, ${show(actual)} ${labels.actual}`];
}
