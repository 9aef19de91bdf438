/** A half-open span of time [start, end), epoch ms. */
export type TimeRun = [start: number, end: number];

/** The consensus's glucose episodes (Battelino 2023): the threshold and on which side of it. */
export const GLUCOSE_EPISODE_KINDS = {
  hypo_level_1: { below: 70 },
  hypo_level_2: { below: 54 },
  hyper_level_1: { above: 180 },
  hyper_level_2: { above: 250 },
} as const;
export type GlucoseEpisodeKind = keyof typeof GLUCOSE_EPISODE_KINDS;
export const GLUCOSE_EPISODE_KIND_NAMES = Object.keys(GLUCOSE_EPISODE_KINDS) as GlucoseEpisodeKind[];

/** An episode starts after this long beyond the threshold and ends after this long back. */
export const EPISODE_MIN_MS = 15 * 60_000;

/**
 * Appends [start, end) to time-ordered runs, merging it into the last run
 * when they touch. Runs are what an accumulator keeps of coverage and
 * excursions; touching runs from two days merge back into one.
 */
export function appendRun(runs: TimeRun[], start: number, end: number): void {
  const last = runs[runs.length - 1];
  if (last !== undefined && last[1] === start) last[1] = end;
  else runs.push([start, end]);
}

/** Concatenates two time-ordered run lists (b after a), merging at the seam. */
export function concatRuns(a: readonly TimeRun[], b: readonly TimeRun[]): TimeRun[] {
  const runs: TimeRun[] = a.map(([start, end]) => [start, end]);
  for (const [start, end] of b) appendRun(runs, start, end);
  return runs;
}

/** Episodes found: each as [start, end) of the time beyond the threshold, first to last. */
export function findEpisodes(beyond: readonly TimeRun[], coverage: readonly TimeRun[]): TimeRun[] {
  const episodes: TimeRun[] = [];
  let current: TimeRun | undefined;
  let cover = 0;
  /** Whether [start, end) lies inside one run of active CGM time (no missing time). */
  const covered = (start: number, end: number): boolean => {
    while (cover < coverage.length && (coverage[cover] as TimeRun)[1] < start) cover += 1;
    const run = coverage[cover];
    return run !== undefined && run[0] <= start && end <= run[1];
  };
  for (const [start, end] of beyond) {
    if (current !== undefined) {
      // Back for less than 15 minutes, all of it measured: the episode goes on.
      if (start - current[1] < EPISODE_MIN_MS && covered(current[1], start)) {
        current[1] = end;
        continue;
      }
      episodes.push(current);
      current = undefined;
    }
    if (end - start >= EPISODE_MIN_MS) current = [start, end];
  }
  if (current !== undefined) episodes.push(current);
  return episodes;
}
