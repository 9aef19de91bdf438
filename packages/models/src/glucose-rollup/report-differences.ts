/** Comparing two glucose reports: the one from daily rollups and the one from raw readings. */

/** Differences beyond a relative 1e-9, by path (sums merged in another order differ only in the last bits). */
export function reportDifferences(actual: unknown, expected: unknown, path = '$', found: string[] = []): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) found.push(`${path}: ${actual} ≠ ${expected}`);
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      reportDifferences((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`, found);
    }
  } else if (actual !== expected) found.push(`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
  return found;
}
