/**
 * One distinct value of a time-weighted sample: the time it was held and in
 * how many pieces (readings, or parts of readings split at hour boundaries).
 */
export interface WeightedValue {
  readonly value: number;
  readonly weight: number;
  readonly pieces: number;
}

/** Percentile by linear interpolation between closest ranks (R type 7, Excel PERCENTILE.INC). */
export function percentileOfSorted(sorted: ArrayLike<number>, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = ((n - 1) * percent) / 100;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, n - 1);
  const low = sorted[lower] as number;
  return low + (rank - lower) * ((sorted[upper] as number) - low);
}

/**
 * Percentiles of a time-weighted sample, R type 7 generalised to weights.
 *
 * Lay the distinct values in ascending order along a time axis, each taking
 * its total weight W_v; a value held in n_v pieces has a mean piece weight
 * w_v = W_v / n_v. The value's knots are at its first and last piece's
 * centres: A_v + w_v/2 and A_v + W_v − w_v/2 (A_v = the weight of all smaller
 * values). The percentile p is the value at position
 * first knot + p/100 × (last knot − first knot), interpolated linearly
 * between knots. With equal weights this is exactly R type 7 (knot k sits at
 * rank k); it needs only each distinct value's weight and piece count, so a
 * histogram gives the same answer as the readings.
 *
 * `values` must be sorted by value, distinct, with positive weights and pieces.
 */
export function timeWeightedPercentiles(values: readonly WeightedValue[], percents: readonly number[]): (number | null)[] {
  if (values.length === 0) return percents.map(() => null);
  const positions: number[] = [];
  const knots: number[] = [];
  let before = 0;
  for (const { value, weight, pieces } of values) {
    const half = weight / pieces / 2;
    positions.push(before + half, before + weight - half);
    knots.push(value, value);
    before += weight;
  }
  const first = positions[0] as number;
  const span = (positions[positions.length - 1] as number) - first;
  return percents.map((percent) => {
    if (span <= 0) return knots[0] as number;
    const target = first + (percent / 100) * span;
    // Knots are few (distinct values in an hour): a linear scan is fast enough.
    let k = 0;
    while (k < positions.length - 2 && (positions[k + 1] as number) < target) k += 1;
    const left = positions[k] as number;
    const right = positions[k + 1] as number;
    const low = knots[k] as number;
    const high = knots[k + 1] as number;
    if (right <= left || target <= left) return low;
    if (target >= right) return high;
    return low + ((target - left) / (right - left)) * (high - low);
  });
}
