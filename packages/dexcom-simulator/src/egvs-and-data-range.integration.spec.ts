import type { EgvRecord } from './egv-records.ts';
import {
  connect,
  DAY,
  dexcomDate,
  egvsQuery,
  getSelf,
  HOUR,
  START,
  startTestSimulator,
  stopAll,
} from './test-support/simulator-session.ts';

afterEach(stopAll);

interface EgvsBody {
  recordType: string;
  recordVersion: string;
  userId: string;
  records: EgvRecord[];
}

async function egvs(sim: Parameters<typeof getSelf>[0], token: string, start: number, end: number): Promise<EgvsBody> {
  const response = await getSelf(sim, token, 'egvs', egvsQuery(start, end));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await response.json()) as EgvsBody;
}

const FIELDS = [
  'recordId',
  'systemTime',
  'displayTime',
  'transmitterId',
  'transmitterTicks',
  'value',
  'status',
  'trend',
  'trendRate',
  'unit',
  'rateUnit',
  'displayDevice',
  'transmitterGeneration',
];

describe('GET /v3/users/self/egvs', () => {
  it('answers the documented v3 shape: the window’s records, newest first, as sim.egvs() predicts', async () => {
    const { sim } = await startTestSimulator({ users: [{ login: 'demo', timeZone: 'Europe/Berlin' }] });
    const { access_token } = await connect(sim);
    const body = await egvs(sim, access_token, START - 2 * DAY, START - DAY);
    expect(body).toMatchObject({ recordType: 'egv', recordVersion: '3.0', userId: sim.users.get('demo')?.userId });
    expect(body.userId).toMatch(/^[0-9a-f]{64}$/);
    expect(body.records.length).toBeGreaterThan(250);
    expect(body.records).toEqual(sim.egvs('demo', START - 2 * DAY, START - DAY));
    for (const record of body.records) expect(Object.keys(record)).toEqual(FIELDS);
    const times = body.records.map((record) => record.systemTime);
    expect(times).toEqual([...times].sort().reverse());
    expect(body.records[0]).toMatchObject({ unit: 'mg/dL', rateUnit: 'mg/dL/min', displayDevice: 'receiver', transmitterGeneration: 'g7' });
  });

  it('takes the window inclusively at both ends', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const [newest] = (await egvs(sim, access_token, START - 3 * HOUR, START - 2 * HOUR)).records;
    const at = Date.parse(`${newest?.systemTime}Z`);
    expect((await egvs(sim, access_token, at, at)).records).toEqual([newest]);
    expect((await egvs(sim, access_token, at - 4 * 60_000, at - 1000)).records).toEqual([]);
  });

  it('takes up to 30 days, and answers a longer window with 400', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const month = await egvs(sim, access_token, START - 31 * DAY, START - DAY);
    expect(month.records.length).toBeGreaterThan(25 * 288);
    const tooLong = await getSelf(sim, access_token, 'egvs', egvsQuery(START - 31 * DAY - 1000, START - DAY));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('30 days') });
  });

  it.each([
    ['no startDate', { endDate: '2026-06-01T00:00:00' }],
    ['no endDate', { startDate: '2026-06-01T00:00:00' }],
    ['a Z suffix', { startDate: '2026-05-31T00:00:00Z', endDate: '2026-06-01T00:00:00Z' }],
    ['milliseconds', { startDate: '2026-05-31T00:00:00.000', endDate: '2026-06-01T00:00:00.000' }],
    ['a local offset', { startDate: '2026-05-31T00:00:00+02:00', endDate: '2026-06-01T00:00:00+02:00' }],
    ['a date only', { startDate: '2026-05-31', endDate: '2026-06-01' }],
    ['an end before the start', { startDate: '2026-06-01T00:00:00', endDate: '2026-05-31T00:00:00' }],
  ])('answers %s with 400', async (_case, query) => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const response = await getSelf(sim, access_token, 'egvs', query);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('serves a reading only once it has arrived, an hour after it was taken by default', async () => {
    const { sim, clock } = await startTestSimulator({ revisionWindowMs: 0 });
    const { access_token } = await connect(sim);
    const window = [START - 4 * HOUR, START + DAY] as const;
    const before = (await egvs(sim, access_token, ...window)).records;
    expect(Date.parse(`${before[0]?.systemTime}Z`)).toBeLessThanOrEqual(START - HOUR);
    expect(Date.parse(`${before[0]?.systemTime}Z`)).toBeGreaterThan(START - HOUR - 5 * 60_000);

    clock.advance(30 * 60_000);
    const after = (await egvs(sim, access_token, ...window)).records;
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.slice(after.length - before.length)).toEqual(before);
    expect(Date.parse(`${after[0]?.systemTime}Z`)).toBeLessThanOrEqual(START - 30 * 60_000);
  });

  it('arrives 3 hours late when configured so', async () => {
    const { sim } = await startTestSimulator({ dataDelayMs: 3 * HOUR });
    const { access_token } = await connect(sim);
    const [newest] = (await egvs(sim, access_token, START - DAY, START)).records;
    expect(Date.parse(`${newest?.systemTime}Z`)).toBeLessThanOrEqual(START - 3 * HOUR);
  });

  it('revises some of the newest hour’s values once, keeping their recordIds', async () => {
    const { sim, clock } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const window = [START - 3 * HOUR, START - HOUR] as const;
    const first = (await egvs(sim, access_token, ...window)).records;
    clock.advance(2 * HOUR);
    const { access_token: later } = await connect(sim);
    const second = (await egvs(sim, later, ...window)).records;
    expect(second.map((record) => record.recordId)).toEqual(first.map((record) => record.recordId));
    const changed = second.filter((record, i) => record.value !== first[i]?.value);
    expect(changed.length).toBeGreaterThan(0);
    for (const record of changed) expect(Date.parse(`${record.systemTime}Z`)).toBeGreaterThan(START - 2 * HOUR);
    clock.advance(5 * HOUR);
    const { access_token: latest } = await connect(sim);
    expect((await egvs(sim, latest, ...window)).records).toEqual(second);
  });

  it('writes app-sourced times with offsets and the user’s zone', async () => {
    const { sim } = await startTestSimulator({ users: [{ login: 'kai', timeZone: 'Asia/Tokyo', displayDevice: 'android', transmitterGeneration: 'g6' }] });
    const { access_token } = await connect(sim, 'kai');
    // Kai's sensor failed early on the 31st: a day holds fewer readings than 288.
    const { records } = await egvs(sim, access_token, START - DAY, START);
    expect(records.length).toBeGreaterThan(50);
    for (const record of records) {
      expect(record.systemTime).toMatch(/\+00:00$/);
      expect(record.displayTime).toMatch(/\+09:00$/);
      expect(Date.parse(record.displayTime)).toBe(Date.parse(record.systemTime));
      expect(record).toMatchObject({ displayDevice: 'android', transmitterGeneration: 'g6' });
    }
  });

  it('gives each user their own data under their own userId', async () => {
    const { sim } = await startTestSimulator({ users: [{ login: 'demo' }, { login: 'alice' }] });
    const demo = await egvs(sim, (await connect(sim, 'demo')).access_token, START - DAY, START);
    const alice = await egvs(sim, (await connect(sim, 'alice')).access_token, START - DAY, START);
    expect(demo.userId).not.toBe(alice.userId);
    expect(demo.records.map((record) => record.value)).not.toEqual(alice.records.map((record) => record.value));
  });
});

describe('GET /v3/users/self/dataRange', () => {
  it('answers the first and last egv that have arrived', async () => {
    const { sim, clock } = await startTestSimulator({ users: [{ login: 'demo', historyDays: 90 }] });
    const { access_token } = await connect(sim);
    const response = await getSelf(sim, access_token, 'dataRange');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recordType: string; recordVersion: string; userId: string; egvs: { start: object; end: object } };
    const all = sim.egvs('demo', START - 91 * DAY, START);
    expect(body).toEqual({
      recordType: 'dataRange',
      recordVersion: '3.0',
      userId: sim.users.get('demo')?.userId,
      calibrations: null,
      egvs: {
        start: { systemTime: all.at(-1)?.systemTime, displayTime: all.at(-1)?.displayTime },
        end: { systemTime: all[0]?.systemTime, displayTime: all[0]?.displayTime },
      },
      events: null,
    });
    expect(Date.parse(`${all.at(-1)?.systemTime}Z`)).toBeGreaterThanOrEqual(START - 90 * DAY);

    clock.advance(HOUR);
    const later = (await (await getSelf(sim, access_token, 'dataRange')).json()) as typeof body;
    expect(later.egvs.start).toEqual(body.egvs.start);
    expect(later.egvs.end).not.toEqual(body.egvs.end);
  });

  it('answers only the range of what arrived after lastSyncTime', async () => {
    const { sim } = await startTestSimulator();
    const { access_token } = await connect(sim);
    const range = async (lastSyncTime: string) => {
      const response = await getSelf(sim, access_token, 'dataRange', { lastSyncTime });
      expect(response.status).toBe(200);
      return ((await response.json()) as { egvs: { start: { systemTime: string }; end: { systemTime: string } } | null }).egvs;
    };
    // Readings arrive an hour after they are taken: those that arrived in the last 30 minutes were taken 90 to 60 minutes ago.
    const recent = sim.egvs('demo', START - 90 * 60_000 + 1000, START);
    expect(await range(dexcomDate(START - 30 * 60_000))).toEqual({
      start: { systemTime: recent.at(-1)?.systemTime, displayTime: recent.at(-1)?.displayTime },
      end: { systemTime: recent[0]?.systemTime, displayTime: recent[0]?.displayTime },
    });
    // The form of Dexcom's examples, with Z, is taken too.
    expect(await range(`${dexcomDate(START - 30 * 60_000)}Z`)).toEqual(await range(dexcomDate(START - 30 * 60_000)));
    expect(await range(dexcomDate(START))).toBeNull();
    expect((await getSelf(sim, access_token, 'dataRange', { lastSyncTime: 'yesterday' })).status).toBe(400);
    expect((await getSelf(sim, access_token, 'dataRange', { lastSyncTime: '2026-06-01T10:00:00+02:00' })).status).toBe(400);
  });

  it('has no egvs range for an account without readings yet', async () => {
    const { sim } = await startTestSimulator({ users: [{ login: 'new', historyDays: 0 }] });
    const { access_token } = await connect(sim);
    const body = (await (await getSelf(sim, access_token, 'dataRange')).json()) as Record<string, unknown>;
    expect(body).toEqual({ recordType: 'dataRange', recordVersion: '3.0', userId: sim.users.get('new')?.userId, calibrations: null, egvs: null, events: null });
  });
});
