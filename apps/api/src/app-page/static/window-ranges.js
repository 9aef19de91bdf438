// A report window cut into ranges of whole local days, to fetch in parallel.

/** Epoch ms of the local midnight `days` days after the one on or before `epochMs`. */
function localMidnight(epochMs, days = 0) {
  const date = new Date(epochMs);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days).getTime();
}

/**
 * `[fromMs, toMs)` cut at local midnights into half-open ranges of at most
 * `daysPerRange` local days (the first and last may be partial days),
 * oldest first, contiguous, covering the window exactly.
 * @returns {{ fromMs: number, toMs: number }[]}
 */
export function localDayRanges(fromMs, toMs, daysPerRange) {
  const ranges = [];
  for (let start = fromMs; start < toMs; ) {
    const end = Math.min(toMs, localMidnight(start, daysPerRange));
    ranges.push({ fromMs: start, toMs: end });
    start = end;
  }
  return ranges;
}
