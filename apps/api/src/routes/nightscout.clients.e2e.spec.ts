import { nightscoutSecret } from '../test-support/nightscout-connect.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { manualClock } from '../test-support/route-fixtures.ts';

/**
 * Request sets shaped as the clients send them — paths, headers, bodies and
 * query strings as their public source writes them — each uploaded and read
 * back the way that client reads: what went in comes back.
 *   xDrip+ (NightscoutUploader / NightscoutFollow): `POST /api/v1/entries`
 *     with sgv, mbg and cal entries, `sysTime` with a local offset, raw
 *     sensor counts; reads `entries.json?count=…&rr=<ms>` and
 *     `entries.json?find[type][$eq]=sgv&find[date][$gt]=…&count=…`.
 *   Loop (NightscoutKit): `date` as `timeIntervalSince1970 * 1000` (a
 *     fraction of a millisecond), `trend` 1–9 beside `direction`
 *     (`NotComputable`, `RateOutOfRange`), `trendRate` (null when unknown),
 *     `isCalibration`, `condition`; needs 200 and an `_id` per entry; checks
 *     its credentials with `experiments/test`; reads
 *     `entries/sgv.json?find[dateString][$gte]=…&find[dateString][$lte]=…&count=…`.
 *   nightscout-librelink-up (apiv1 client): `GET /api/v1/entries?count=1`
 *     for the last entry (it takes the array's last item), then
 *     `POST /api/v1/entries` with its own extra `sensorInfo`.
 * Each authenticates as it does against Nightscout: `api-secret` with the
 * SHA-1 of the secret it was given — here a personal access token.
 */
const clock = manualClock('2026-12-05T12:00:00.000Z');
const T0 = Date.parse('2026-12-05T09:00:00.000Z');
const MIN5 = 300_000;

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

type Entry = Record<string, unknown>;

/** Every field the client sent comes back with the value it sent; `date` to the millisecond. */
function expectRoundTrip(sent: readonly Entry[], read: readonly Entry[]): void {
  const byDate = new Map(read.map((entry) => [entry['date'], entry]));
  for (const entry of sent) {
    const date = Math.floor(entry['date'] as number);
    const back = byDate.get(date);
    const { date: _date, _id: _sentId, ...fields } = entry;
    // Fields the client's own reading ignores too: xDrip+'s `delta` and librelink-up's `sensorInfo` are not stored.
    const { delta: _delta, sensorInfo: _sensorInfo, trendRate, ...kept } = fields;
    expect({ date, back }).toEqual({ date, back: expect.objectContaining({ ...kept, ...(trendRate === null || trendRate === undefined ? {} : { trendRate }), _id: expect.stringMatching(/^[0-9a-f]{24}$/) }) });
  }
}

describe('Nightscout clients’ request sets', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('xDrip+: uploads sgv, mbg and cal entries, then follows with rr= and find[type][$eq]', async () => {
    // Base URL https://vat_…@host/api/v1/: xDrip+ takes the secret from the URL and sends its SHA-1.
    const secret = await nightscoutSecret(api.container, 'xdrip-user');
    const headers = { ...JSON_HEADERS, 'api-secret': secret.sha1 };
    const sgvs: Entry[] = [0, 1, 2].map((index) => ({
      device: 'xDrip-DexcomG6',
      date: T0 + index * MIN5,
      dateString: new Date(T0 + index * MIN5 + 3_600_000).toISOString().replace('Z', '+0100'),
      sgv: 120 + index * 4,
      delta: 4,
      direction: ['Flat', 'FortyFiveUp', 'TripleUp'][index],
      type: 'sgv',
      filtered: 131000 + index,
      unfiltered: 132000 + index,
      rssi: 100,
      noise: 1,
      sysTime: new Date(T0 + index * MIN5 + 3_600_000).toISOString().replace('Z', '+0100'),
    }));
    const meter = { device: 'xDrip-DexcomG6', type: 'mbg', mbg: 118, date: T0 + 30_000, dateString: new Date(T0 + 30_000).toISOString(), sysTime: new Date(T0 + 30_000).toISOString() };
    const calibration = { device: 'xDrip-DexcomG6', type: 'cal', date: T0 + 30_000, dateString: new Date(T0 + 30_000).toISOString(), slope: 1000, intercept: 25000, scale: 1 };
    const upload = await fetch(`${api.url}/api/v1/entries`, { method: 'POST', headers, body: JSON.stringify([...sgvs, meter, calibration]) });
    expect(upload.status).toBe(200);
    expect(await upload.json()).toHaveLength(5);

    // The follower, on a caregiver's phone, with a read-only token of its own.
    const follower = await nightscoutSecret(api.container, 'xdrip-user', ['readings:read']);
    const follow = await fetch(`${api.url}/api/v1/entries.json?count=24&rr=${T0 + 3 * MIN5}`, { headers: { 'api-secret': follower.sha1, accept: 'application/json' } });
    expect(follow.status).toBe(200);
    const followed = (await follow.json()) as Entry[];
    expect(followed.map((entry) => entry['date'])).toEqual([T0 + 2 * MIN5, T0 + MIN5, T0]);
    expectRoundTrip(sgvs, followed);

    const since = await fetch(`${api.url}/api/v1/entries.json?find[type][$eq]=sgv&find[date][$gt]=${T0}&count=10`, { headers });
    expect(((await since.json()) as Entry[]).map((entry) => entry['date'])).toEqual([T0 + 2 * MIN5, T0 + MIN5]);
    const meters = await fetch(`${api.url}/api/v1/entries.json?find[type][$eq]=mbg&find[date][$gt]=${T0 - MIN5}&count=10`, { headers });
    expect(await meters.json()).toEqual([]);

    const status = await fetch(`${api.url}/api/v1/status.json`, { headers });
    expect(status.status).toBe(200);
  });

  it('Loop: fractional dates, numeric trends and its own directions come back under an _id each, 200 as it requires', async () => {
    const secret = await nightscoutSecret(api.container, 'loop-user');
    const headers = { ...JSON_HEADERS, 'api-secret': secret.sha1 };
    const check = await fetch(`${api.url}/api/v1/experiments/test`, { headers });
    expect(check.status).toBe(200);

    const loopEntries: Entry[] = [
      { date: T0 + 0.412, dateString: '2026-12-05T09:00:00Z', type: 'sgv', sgv: 101, trend: 4, direction: 'Flat', trendRate: 0.3, isCalibration: false },
      { date: T0 + MIN5 + 0.9, dateString: '2026-12-05T09:05:00Z', type: 'sgv', sgv: 99, trend: 8, direction: 'NotComputable', trendRate: null, isCalibration: false },
      { date: T0 + 2 * MIN5, dateString: '2026-12-05T09:10:00Z', type: 'sgv', sgv: 400, trend: 9, direction: 'RateOutOfRange', condition: 'aboveRange', trendRate: null, isCalibration: false },
    ];
    const upload = await fetch(`${api.url}/api/v1/entries`, { method: 'POST', headers, body: JSON.stringify(loopEntries) });
    expect(upload.status).toBe(200);
    const answered = (await upload.json()) as Entry[];
    expect(answered).toHaveLength(loopEntries.length);
    for (const item of answered) expect(item['_id']).toMatch(/^[0-9a-f]{24}$/);

    // Loop re-sends what it is unsure was stored: same date and type, no duplicate, the same _id.
    const again = await fetch(`${api.url}/api/v1/entries`, { method: 'POST', headers, body: JSON.stringify(loopEntries) });
    expect(((await again.json()) as Entry[]).map((entry) => entry['_id'])).toEqual(answered.map((entry) => entry['_id']));

    const from = encodeURIComponent('2026-12-05T08:59:00Z');
    const to = encodeURIComponent('2026-12-05T09:11:00Z');
    const read = await fetch(`${api.url}/api/v1/entries/sgv.json?find[dateString][$gte]=${from}&find[dateString][$lte]=${to}&count=288`, { headers });
    expect(read.status).toBe(200);
    const entries = (await read.json()) as Entry[];
    expect(entries).toHaveLength(3);
    expectRoundTrip(loopEntries, entries);
  });

  it('nightscout-librelink-up: reads the last entry with count=1, uploads what is newer with its extra fields', async () => {
    // NIGHTSCOUT_API_TOKEN is the token's SHA-1, sent as api-secret as it is.
    const secret = await nightscoutSecret(api.container, 'libre-user');
    const headers = { 'user-agent': 'FreeStyle LibreLink Up NightScout Uploader', 'content-type': 'application/json', 'api-secret': secret.sha1 };
    const empty = await fetch(`${api.url}/api/v1/entries?count=1`, { headers });
    expect({ status: empty.status, body: await empty.json() }).toEqual({ status: 200, body: [] });

    const upload = (from: number, count: number): Entry[] =>
      Array.from({ length: count }, (_, index) => ({
        type: 'sgv',
        sgv: 140 - (from + index) * 3,
        direction: 'SingleDown',
        device: 'nightscout-librelink-up',
        date: T0 + (from + index) * MIN5,
        dateString: new Date(T0 + (from + index) * MIN5).toISOString(),
        sensorInfo: { sn: '3MH0051TV1', activationTime: 1764400000 },
      }));
    const first = upload(0, 2);
    expect((await fetch(`${api.url}/api/v1/entries`, { method: 'POST', headers, body: JSON.stringify(first) })).status).toBe(200);
    const last = (await (await fetch(`${api.url}/api/v1/entries?count=1`, { headers })).json()) as Entry[];
    expect(last.pop()).toMatchObject({ date: T0 + MIN5 });

    const next = upload(2, 1);
    expect((await fetch(`${api.url}/api/v1/entries`, { method: 'POST', headers, body: JSON.stringify(next) })).status).toBe(200);
    const all = (await (await fetch(`${api.url}/api/v1/entries?count=10`, { headers })).json()) as Entry[];
    expect(all).toHaveLength(3);
    expectRoundTrip([...first, ...next], all);
  });

  it('no token nor the SHA-1 sent as api-secret appears in any log line', () => {
    const text = api.logText();
    expect(text).toMatch(/nightscoutUploadEntries/);
    expect(text).not.toMatch(/vat_[A-Za-z0-9_-]{10}/);
    expect(text).not.toMatch(/\b[0-9a-f]{40}\b/);
  });
});
