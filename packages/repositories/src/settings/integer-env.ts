/** One environment variable read as an integer setting: its name, the field it fills, and its bounds. */
export interface IntegerVariable<F extends string> {
  name: string;
  field: F;
  min: number;
  max: number;
}

/**
 * Reads each variable that is set as an integer within its bounds into
 * `into`; an absent one leaves its field as it was, a bad one is an issue
 * naming the variable (and leaves the field too).
 */
export function readIntegerVariables<F extends string>(
  env: Readonly<Record<string, string | undefined>>,
  variables: readonly IntegerVariable<F>[],
  into: Partial<Record<F, number>>,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const { name, field, min, max } of variables) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
      issues.push({ path: name, message: `must be an integer ${min}..${max} (got "${raw}")` });
    } else {
      into[field] = parsed;
    }
  }
  return issues;
}
