/**
 * Where two glucose reports (or any JSON-like values) differ, by path:
 * numbers beyond a relative 1e-9 — a report merged from daily rollups adds
 * its sums in another order than one from the readings, so the two differ
 * in the last bits only — anything else when not equal. Empty when equal.
 */
export function glucoseReportDifferences(actual: unknown, expected: unknown, path = '$', found: string[] = []): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) found.push(`${path}: ${actual} ≠ ${expected}`);
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      glucoseReportDifferences((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`, found);
    }
  } else if (actual !== expected) found.push(`${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
  return found;
}
