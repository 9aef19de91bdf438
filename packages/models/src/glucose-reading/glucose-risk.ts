/**
 * Kovatchev's symmetrised blood-glucose risk (mg/dL):
 * f = 1.509 × ((ln BG)^1.084 − 5.381), r = 10 f². The low risk is r where
 * f < 0 (BG below ~112.5 mg/dL), the high risk r where f > 0; LBGI and HBGI
 * are their means (here time-weighted).
 */
export function glucoseRisk(value: number): { low: number; high: number } {
  const f = 1.509 * (Math.log(value) ** 1.084 - 5.381);
  const risk = 10 * f * f;
  return f < 0 ? { low: risk, high: 0 } : { low: 0, high: risk };
}

/** GRI zones (Klonoff 2023): A 0–20, B 20–40, C 40–60, D 60–80, E 80–100. */
export const GRI_ZONES = ['A', 'B', 'C', 'D', 'E'] as const;

/**
 * Glycemia Risk Index (Klonoff et al., J Diabetes Sci Technol 2023) from the
 * percent of time in each range: hypo component = VLow + 0.8 Low, hyper
 * component = VHigh + 0.5 High, GRI = 3 × hypo + 1.6 × hyper, capped at 100.
 */
export function glycemiaRiskIndex(percent: { very_low: number; low: number; high: number; very_high: number }) {
  const hypo_component = percent.very_low + 0.8 * percent.low;
  const hyper_component = percent.very_high + 0.5 * percent.high;
  const value = Math.min(100, 3 * hypo_component + 1.6 * hyper_component);
  const zone = GRI_ZONES[Math.min(4, Math.floor(value / 20))] as (typeof GRI_ZONES)[number];
  return { value, hypo_component, hyper_component, zone };
}

/** The consensus targets (Battelino 2019/2023) over the percent of time per range and CV. */
export const GLUCOSE_TARGETS = {
  time_in_range: { figure: 'TIR 70–180 mg/dL', comparison: '>', limit: 70 },
  time_below_range: { figure: 'TBR < 70 mg/dL', comparison: '<', limit: 4 },
  time_very_low: { figure: 'TBR < 54 mg/dL', comparison: '<', limit: 1 },
  time_above_range: { figure: 'TAR > 180 mg/dL', comparison: '<', limit: 25 },
  time_very_high: { figure: 'TAR > 250 mg/dL', comparison: '<', limit: 5 },
  cv: { figure: 'CV', comparison: '<=', limit: 36 },
} as const;
export type GlucoseTargetName = keyof typeof GLUCOSE_TARGETS;

/** Whether `value` meets a target; `null` without a value. */
export function meetsTarget(name: GlucoseTargetName, value: number | null): boolean | null {
  if (value === null) return null;
  const { comparison, limit } = GLUCOSE_TARGETS[name];
  return comparison === '>' ? value > limit : comparison === '<' ? value < limit : value <= limit;
}
