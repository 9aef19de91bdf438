import { createHash } from 'node:crypto';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  nightscoutConnectOutput,
  nightscoutConnectSource,
  nightscoutSecret,
  signInAsNightscoutConnect,
  type Entry,
} from '../test-support/nightscout-connect.ts';

const FIVE_MINUTES = 300_000;
/** Dexcom Share's arrows as nightscout-connect's dexcomshare source writes them (trend number and direction). */
const ARROWS = [
  [4, 'Flat'],
  [3, 'FortyFiveUp'],
  [2, 'SingleUp'],
  [1, 'DoubleUp'],
  [5, 'FortyFiveDown'],
  [6, 'SingleDown'],
  [7, 'DoubleDown'],
  [8, 'NOT COMPUTABLE'],
  [9, 'RATE OUT OF RANGE'],
] as const;

/** Entries as nightscout-connect's dexcomshare source hands them to its output, every `FIVE_MINUTES` from `start`. */
function shareEntries(start: number, count: number): Entry[] {
  return Array.from({ length: count }, (_, index) => {
    const date = start + index * FIVE_MINUTES;
    const [trend, direction] = ARROWS[index % ARROWS.length] as (typeof ARROWS)[number];
    return { sgv: 90 + index, date, dateString: new Date(date).toISOString(), trend, direction, device: 'nightscout-connect', type: 'sgv' };
  });
}

const withoutId = ({ _id: _ignored, ...rest }: Entry) => rest;

/** What the source read after a bookmark on the tenth of `uploaded`: the rest, newest first, each once, as uploaded (plus `sysTime`). */
function expectAfterBookmark(entries: Entry[], uploaded: Entry[]): void {
  expect(entries.map(withoutId)).toEqual(
    uploaded
      .slice(10)
      .reverse()
      .map((entry) => ({ ...entry, sysTime: entry['dateString'] })),
  );
  expect(new Set(entries.map((entry) => entry['_id'])).size).toBe(entries.length);
}

describe('nightscout-connect against Vitals', () => {
  let api: TestApi;
  let logSpy: jest.SpyInstance;
  // Its source reads at most two days back from the real clock, so the server keeps the real clock too.
  const start = Math.floor((Date.now() - 6 * 3_600_000) / FIVE_MINUTES) * FIVE_MINUTES;

  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(() => {
    // nightscout-connect logs every step (and its configuration) to the console.
    logSpy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    logSpy.mockRestore();
  });
  afterAll(async () => {
    await api.stop();
  });

  async function readAll(user: string): Promise<Entry[]> {
    const response = await api.call('GET', '/api/v1/entries.json?count=1000', { token: await api.token(user) });
    expect(response.status).toBe(200);
    return response.body as Entry[];
  }

  it('as its output, with a personal access token as its API secret: the readings arrive exactly once, re-sent batches included, and come back equal', async () => {
    // CONNECT_API_SECRET is the token's text; nightscout-connect sends its SHA-1 as API-SECRET.
    const { token } = await nightscoutSecret(api.container, 'connect-out', ['readings:read', 'readings:write']);
    const output = nightscoutConnectOutput(api.url, token);

    expect(await output.gap_for()).toEqual({});
    const first = shareEntries(start, 30);
    const bookmark = await output({ entries: first, treatments: [] });
    expect(bookmark).toEqual({ entries: new Date(start) });
    // Its next cycle overlaps the last: a Share window re-reads what it already sent.
    const second = shareEntries(start + 20 * FIVE_MINUTES, 20);
    await output({ entries: second, treatments: [] });

    const stored = await readAll('connect-out');
    expect(stored).toHaveLength(40);
    // Neither the token nor the SHA-1 it was sent as is in any log line.
    for (const secret of [token, createHash('sha1').update(token).digest('hex')]) expect(api.logText()).not.toContain(secret);
    const sent = new Map([...first, ...second].map((entry) => [entry['date'], entry]));
    expect(stored.map(withoutId)).toEqual(
      [...sent.values()]
        .sort((a, b) => (b['date'] as number) - (a['date'] as number))
        .map((entry) => ({ ...entry, sysTime: entry['dateString'] })),
    );
  });

  it('as its source, with a read-only access token as its bearer: reads the entries after its bookmark, each once, equal to what was uploaded', async () => {
    const token = await api.token('connect-in');
    const uploaded = shareEntries(start, 24);
    const upload = await api.call('POST', '/api/v1/entries.json', { token, body: uploaded });
    expect(upload.status).toBe(200);

    const source = nightscoutConnectSource(api.url);
    const bookmark = new Date(start + 9 * FIVE_MINUTES);
    const reader = await nightscoutSecret(api.container, 'connect-in', ['readings:read']);
    const { entries } = source.transformGlucose(await source.dataFromSesssion({ bearer: reader.token }, { entries: bookmark }));
    // Its query: find[dateString][$gt]=<bookmark>&count=<five-minute slots since then>, newest first.
    expectAfterBookmark(entries, uploaded);
  });

  it('as its source, signing in itself from a Nightscout URL with ?token=<access token>: reads the entries after its bookmark, each once, equal', async () => {
    const uploaded = shareEntries(start, 24);
    expect((await api.call('POST', '/api/v1/entries.json', { token: await api.token('connect-token'), body: uploaded })).status).toBe(200);
    await api.call('POST', '/api/v1/entries.json', { token: await api.token('connect-bystander'), body: shareEntries(start, 30) });
    const reader = await nightscoutSecret(api.container, 'connect-token', ['readings:read']);

    // The URL a person gives it: the Vitals host, their read-only token as ?token=.
    const source = nightscoutConnectSource(`${api.url}/?token=${reader.token}`);
    const session = await signInAsNightscoutConnect(source);
    expect(session.bearer).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(session.bearer).not.toContain(reader.token);
    // It refreshes the session after ttl: the exchange's exp - iat, 8 hours.
    expect(session.ttl).toBe(8 * 3_600_000);
    expect(session.info).toMatchObject({ sub: 'connect-token', permissionGroups: [['readings:read']] });

    const bookmark = new Date(start + 9 * FIVE_MINUTES);
    const { entries } = source.transformGlucose(await source.dataFromSesssion(session, { entries: bookmark }));
    expectAfterBookmark(entries, uploaded);

    // Revoked, the session it holds fails on its next read.
    const revoked = await api.call('DELETE', `/v1/users/connect-token/access-tokens/${reader.token_id}`, { token: await api.token('connect-token') });
    expect(revoked.status).toBe(204);
    await expect(source.dataFromSesssion(session, { entries: bookmark })).rejects.toMatchObject({ response: { status: 401 } });
    for (const secret of [reader.token, reader.sha1, session.bearer as string]) expect(api.logText()).not.toContain(secret);
  });

  it("as its source, 0.0.12's own sessionFromAuth cannot run unaided: it names an undeclared headers (pinned, so an upgrade that fixes it is noticed)", async () => {
    const reader = await nightscoutSecret(api.container, 'connect-token-bug', ['readings:read']);
    const source = nightscoutConnectSource(`${api.url}/?token=${reader.token}`);
    const auth = await source.authFromCredentials();
    expect(auth).toBe(reader.token);
    expect(() => source.sessionFromAuth(auth)).toThrow(new ReferenceError('headers is not defined'));
  });

  it('source to output: one user followed into another arrives exactly once and equal, however often the cycle runs', async () => {
    const sourceToken = await api.token('connect-followed');
    const uploaded = shareEntries(start, 36);
    expect((await api.call('POST', '/api/v1/entries', { token: sourceToken, body: uploaded })).status).toBe(200);

    const source = nightscoutConnectSource(api.url);
    const follower = await nightscoutSecret(api.container, 'connect-follower', ['readings:read', 'readings:write']);
    const reader = await nightscoutSecret(api.container, 'connect-followed', ['readings:read']);
    const output = nightscoutConnectOutput(api.url, follower.token);
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const bookmark = await output.gap_for();
      const batch = source.transformGlucose(await source.dataFromSesssion({ bearer: reader.token }, bookmark.entries === undefined ? null : bookmark));
      await output({ entries: batch.entries.map(withoutId), treatments: [] });
    }

    const followed = await readAll('connect-follower');
    const original = await readAll('connect-followed');
    expect(followed).toHaveLength(36);
    expect(followed.map(withoutId)).toEqual(original.map(withoutId));
    // The same reading of two users has two _ids: an _id never names another user's reading.
    expect(followed.map((entry) => entry['_id'])).not.toEqual(original.map((entry) => entry['_id']));
  });
});
