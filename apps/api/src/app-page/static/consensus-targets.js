// The consensus targets (Battelino et al. 2019): the stats route's own `targets` when it sends them, else computed here the same way.

const RULES = [
  { key: 'time_in_range', label: 'Time in range 70–180', target: '> 70 %', value: (t) => t.in_range, met: (v) => v > 70 },
  { key: 'time_below_range', label: 'Time below 70', target: '< 4 %', value: (t) => t.very_low + t.low, met: (v) => v < 4 },
  { key: 'time_very_low', label: 'Time below 54', target: '< 1 %', value: (t) => t.very_low, met: (v) => v < 1 },
  { key: 'time_above_range', label: 'Time above 180', target: '< 25 %', value: (t) => t.high + t.very_high, met: (v) => v < 25 },
  { key: 'time_very_high', label: 'Time above 250', target: '< 5 %', value: (t) => t.very_high, met: (v) => v < 5 },
  { key: 'cv', label: 'Coefficient of variation', target: '≤ 36 %', value: (_t, stats) => stats.cv, met: (v) => v <= 36 },
];

/** @returns {{ key: string, label: string, target: string, value: number | null, met: boolean | null }[]} */
export function consensusTargets(stats) {
  return RULES.map((rule) => {
    const given = stats.targets?.[rule.key];
    if (given !== undefined) return { key: rule.key, label: rule.label, target: given.target, value: given.value, met: given.met };
    const ranges = stats.time_in_ranges;
    const value = ranges.in_range === null ? null : rule.value(ranges, stats);
    return { key: rule.key, label: rule.label, target: rule.target, value, met: value === null ? null : rule.met(value) };
  });
}

/** Whether GMI and the consensus figures stand on enough data: ≥ 14 days with ≥ 70 % CGM time, and why not. */
export function sufficiency(stats) {
  const given = stats.data_sufficiency;
  if (typeof given.sufficient === 'boolean') return { sufficient: given.sufficient, reason: given.reason ?? null };
  const days = (Date.parse(stats.to) - Date.parse(stats.from)) / 86_400_000;
  const percent = given.percent ?? 0;
  if (days < 14) return { sufficient: false, reason: `the window is ${Math.round(days)} days; the consensus asks for at least 14` };
  if (percent < 70) return { sufficient: false, reason: `CGM data cover ${percent.toFixed(1)} % of the window; the consensus asks for at least 70 %` };
  return { sufficient: true, reason: null };
}
