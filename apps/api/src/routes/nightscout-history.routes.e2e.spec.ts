import { nightscoutEntryId } from '@vitals/models';
import { nightscoutSecret, type NightscoutSecret } from '../test-support/nightscout-connect.ts';
import { manualClock } from '../test-support/route-fixtures.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';

const clock = manualClock('2026-12-05T12:00:00.000Z');
const SETTLE_MS = 10_000;
const START = Date.parse('2026-12-05T10:00:00.000Z');
const FIVE_MINUTES = 300_000;

function entry(index: number, sgv: number, direction = 'Flat') {
  const date = START + index * FIVE_MINUTES;
  return { type: 'sgv', sgv, date, dateString: new Date(date).toISOString(), direction, device: 'xDrip-DexcomG6' };
}

interface HistoryDocument {
  identifier: string;
  srvModified: number;
  isValid: boolean;
  sgv?: number;
  direction?: string;
  date: number;
}

describe('GET /api/v3/entries/history/{last_modified}', () => {
  let api: TestApi;
  let secret: NightscoutSecret;
  const headers = () => ({ 'api-secret': secret.sha1 });
  const history = async (since: number) => api.call('GET', `/api/v3/entries/history/${since}`, { headers: headers() });
  const settle = () => clock.set(new Date(clock.now().getTime() + SETTLE_MS + 1).toISOString());

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { READING_CHANGES_SETTLE_MS: String(SETTLE_MS) } });
    secret = await nightscoutSecret(api.container, 'follower-user');
  });
  afterAll(async () => {
    await api.stop();
  });

  it('serves uploads, rewrites and deletions in modification order, and a follower replaying it holds what is stored', async () => {
    const uploaded = await api.call('POST', '/api/v1/entries', { headers: headers(), body: [entry(0, 101, 'NOT COMPUTABLE'), entry(1, 102), entry(2, 103)] });
    expect(uploaded.status).toBe(200);
    // Not yet settled: a follower asking now sees nothing, and misses nothing later.
    expect((await history(0)).body).toEqual({ status: 200, result: [] });
    settle();

    const first = await history(0);
    expect(first.status).toBe(200);
    const served = first.body.result as HistoryDocument[];
    // Modification order; one upload shares a millisecond, and within it the order is the index's, so compare by date.
    expect(served.map((doc) => doc.srvModified)).toEqual(served.map((doc) => doc.srvModified).sort((a, b) => a - b));
    const documents = [...served].sort((a, b) => a.date - b.date);
    expect(documents.map((doc) => [doc.sgv, doc.direction, doc.isValid])).toEqual([
      [101, 'NOT COMPUTABLE', true],
      [102, 'Flat', true],
      [103, 'Flat', true],
    ]);
    expect(documents.map((doc) => doc.identifier)).toEqual([0, 1, 2].map((index) => nightscoutEntryId('follower-user', new Date(entry(index, 0).date).toISOString())));
    const lastModified = Math.max(...documents.map((doc) => doc.srvModified));
    expect(first.headers.get('last-modified')).toBe(new Date(lastModified).toUTCString());

    // A re-sent upload changes nothing and is no change; a rewrite and a deletion are.
    await api.call('POST', '/api/v1/entries.json', { headers: headers(), body: [entry(0, 101, 'NOT COMPUTABLE'), entry(1, 150, 'SingleUp')] });
    clock.set(new Date(clock.now().getTime() + 1_000).toISOString());
    const admin = await api.token('ops', ['admin', 'readings:write']);
    const deleted = await api.call('DELETE', `/v1/users/follower-user/readings/${new Date(entry(2, 0).date).toISOString()}`, { token: admin });
    expect(deleted.status).toBe(204);
    settle();

    const next = (await history(lastModified)).body.result as HistoryDocument[];
    expect(next.map((doc) => [doc.identifier, doc.isValid, doc.sgv])).toEqual([
      [documents[1]?.identifier, true, 150],
      [documents[2]?.identifier, false, undefined],
    ]);
    expect(next[1]).toEqual({ identifier: documents[2]?.identifier, date: entry(2, 0).date, srvModified: expect.any(Number), isValid: false });

    // Replaying every document in order gives what the v1 read answers now.
    const held = new Map<string, number | undefined>();
    for (const doc of [...documents, ...next]) {
      if (doc.isValid) held.set(doc.identifier, doc.sgv);
      else held.delete(doc.identifier);
    }
    const current = (await api.call('GET', '/api/v1/entries.json?count=100', { headers: headers() })).body as { _id: string; sgv: number }[];
    expect(Object.fromEntries(held)).toEqual(Object.fromEntries(current.map((stored) => [stored._id, stored.sgv])));
    expect((await history(Math.max(...next.map((doc) => doc.srvModified)))).body.result).toEqual([]);
  });

  it('answers a 401 problem without credentials and a 400 problem for a last_modified that is not epoch milliseconds', async () => {
    expect((await api.call('GET', '/api/v3/entries/history/0')).status).toBe(401);
    const bad = await api.call('GET', '/api/v3/entries/history/yesterday', { headers: headers() });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
