// Calls to the Vitals API with the signed-in bearer token; problems become ApiError.

/** A refused or failed call: `status` and the problem's `title`/`detail` when the API sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The largest page the list routes answer. */
const PAGE_LIMIT = '1000';

/**
 * @param {string} token
 * @param {AbortSignal} [signal] aborts every call still running (a newer load replaced this one)
 */
export function apiClient(token, signal) {
  async function get(path, query = {}) {
    const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined));
    const url = search.size > 0 ? `${path}?${search}` : path;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
    const body = /json/.test(response.headers.get('content-type') ?? '') ? await response.json() : undefined;
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  /** Every item of a paged list, following `next_cursor`. */
  async function all(path, query = {}) {
    const items = [];
    let cursor;
    do {
      const page = await get(path, { ...query, limit: PAGE_LIMIT, cursor });
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return items;
  }

  /**
   * Every item of a paged list whose `from`/`to` are inclusive instants, over
   * `ranges` (`{ fromMs, toMs }`, half-open, contiguous, oldest first): each
   * range paged on its own, `concurrency` ranges at a time. `onRange(range,
   * items)` is called as each range completes (in any order); the result is
   * every range's items in range order, so a list sorted by time stays sorted.
   */
  async function allInRanges(path, query, ranges, { concurrency = 2, onRange } = {}) {
    const results = new Array(ranges.length);
    let next = 0;
    async function worker() {
      while (next < ranges.length) {
        const index = next++;
        const range = ranges[index];
        const bounds = { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs - 1).toISOString() };
        results[index] = await all(path, { ...query, ...bounds });
        onRange?.(range, results[index]);
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, ranges.length) }, worker));
    return results.flat();
  }

  return { get, all, allInRanges };
}
