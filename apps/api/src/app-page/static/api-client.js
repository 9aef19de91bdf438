// Calls to the Vitals API with the signed-in bearer token; problems become ApiError.

/** A refused or failed call: `status` and the problem's `title`/`detail` when the API sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiClient(token) {
  async function get(path, query = {}) {
    const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined));
    const url = search.size > 0 ? `${path}?${search}` : path;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const body = /json/.test(response.headers.get('content-type') ?? '') ? await response.json() : undefined;
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  /** Every item of a paged list, following `next_cursor`. */
  async function all(path, query = {}) {
    const items = [];
    let cursor;
    do {
      const page = await get(path, { ...query, limit: '1000', cursor });
      items.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return items;
  }

  return { get, all };
}
