import { MALFORMED_KINDS, type SimulatedUserOptions } from '@vitals/dexcom-simulator';
import type { GlucoseReadingInput } from '@vitals/models';
import type { EgvRecord } from './dexcom-responses.schema.ts';
import { egvWindows, type EgvWindow } from './dexcom-time.ts';
import { egvsToReadingInputs } from './egv-to-reading.ts';
import type { InvalidEgvRecord } from './egv-records.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  SIM_START,
  rejectionOf,
  startSimulatorSession,
  stopSimulatorSessions,
  systemInstant,
  type SimulatorSession,
} from './test-support/simulator-session.ts';

const USERS: SimulatedUserOptions[] = [
  { login: 'alice', timeZone: 'Europe/Berlin', displayDevice: 'iOS', transmitterGeneration: 'g7' },
  { login: 'bob', timeZone: 'America/New_York', displayDevice: 'receiver', transmitterGeneration: 'g6' },
  { login: 'chandra', timeZone: 'Asia/Kathmandu', displayDevice: 'android', transmitterGeneration: 'g7' },
];

interface Backfill {
  windows: EgvWindow[];
  records: EgvRecord[];
  invalid: InvalidEgvRecord[];
  inputs: GlucoseReadingInput[];
  skipped: unknown[];
}

/** What the sync worker will do: connect, then egvs over egvWindows, each answer mapped to reading inputs. */
async function backfill(session: SimulatorSession, login: string, start: number, end: number): Promise<Backfill> {
  const tokens = await session.connect(login);
  const windows = egvWindows(new Date(start), new Date(end));
  const records: EgvRecord[] = [];
  const invalid: InvalidEgvRecord[] = [];
  for (const window of windows) {
    const answer = await session.client.egvs(tokens.access_token, window);
    records.push(...answer.records);
    invalid.push(...answer.invalid);
  }
  const { inputs, skipped } = egvsToReadingInputs(records, { now: new Date(session.clock.now()) });
  return { windows, records, invalid, inputs, skipped };
}

/** How many inputs there are per timestamp. */
function countByTimestamp(inputs: readonly GlucoseReadingInput[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const input of inputs) counts.set(input.timestamp, (counts.get(input.timestamp) ?? 0) + 1);
  return counts;
}

describe('DexcomClient against the Dexcom simulator: egvs and dataRange', () => {
  let session: SimulatorSession;
  beforeEach(async () => {
    session = await startSimulatorSession({ users: USERS });
  });
  afterEach(stopSimulatorSessions);

  describe('a 90-day backfill over egvWindows', () => {
    it.each(USERS.map((user) => [user.login, user]))(
      'for %s, every reading the simulator says exists comes out once by timestamp, none invalid or skipped, and nothing else',
      async (login) => {
        const { sim, clock } = session;
        const end = clock.now();
        const start = end - 90 * DAY;
        const expected = sim.egvs(login, start, end);
        expect(expected.length).toBeGreaterThan(90 * 288 * 0.75);

        const { windows, records, invalid, inputs, skipped } = await backfill(session, login, start, end);
        expect(windows).toHaveLength(3);
        expect(sim.calls.count('egvs', 200)).toBe(3);
        expect(invalid).toEqual([]);
        expect(skipped).toEqual([]);
        expect(inputs).toHaveLength(records.length);

        const counts = countByTimestamp(inputs);
        expect([...counts.keys()].sort()).toEqual(expected.map(systemInstant).sort());
        // A reading comes twice only where two windows meet (the client's documented overlap).
        const boundaries = new Set(windows.flatMap((window) => [window.start.toISOString(), window.end.toISOString()]));
        const repeated = [...counts].filter(([, count]) => count > 1);
        expect(repeated.filter(([timestamp, count]) => count !== 2 || !boundaries.has(timestamp))).toEqual([]);

        // Each record id is one reading at one instant: the simulator's.
        const expectedById = new Map(expected.map((record) => [record.recordId, systemInstant(record)]));
        const mismatched = inputs.filter((input) => expectedById.get(input.dexcom?.record_id ?? '') !== input.timestamp);
        expect(mismatched).toEqual([]);
        expect(new Set(inputs.map((input) => input.dexcom?.record_id)).size).toBe(expected.length);
      },
    );

    it('when a reading falls exactly where two windows meet, both windows answer it and the readings hold it once', async () => {
      const { sim, clock } = session;
      const now = clock.now();
      const candidates = sim.egvs('alice', now - 61 * DAY, now - 59 * DAY);
      const onBoundary = candidates[Math.floor(candidates.length / 2)];
      if (onBoundary === undefined) throw new Error('alice has no readings 59 to 61 days back');
      const boundary = Date.parse(systemInstant(onBoundary));
      const start = boundary - 30 * DAY;
      const end = Math.min(start + 90 * DAY, now);

      const { windows, records, inputs } = await backfill(session, 'alice', start, end);
      expect(windows[0]?.end.getTime()).toBe(boundary);
      expect(windows[1]?.start.getTime()).toBe(boundary);
      // The simulator's windows are inclusive at both ends (its stated choice; Dexcom does not say).
      expect(records.filter((record) => record.recordId === onBoundary.recordId)).toHaveLength(2);

      const counts = countByTimestamp(inputs);
      expect(counts.get(new Date(boundary).toISOString())).toBe(2);
      const stored = new Map(inputs.map((input) => [input.timestamp, input]));
      expect(stored.get(new Date(boundary).toISOString())?.dexcom?.record_id).toBe(onBoundary.recordId);
      expect([...stored.keys()].sort()).toEqual(sim.egvs('alice', start, end).map(systemInstant).sort());
    });

    it('when the window is exactly 30 days, both accept it; one second more, the client refuses it before any call, as the simulator would', async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('bob');
      const end = clock.now() - HOUR;
      await expect(client.egvs(tokens.access_token, { start: new Date(end - 30 * DAY), end: new Date(end) })).resolves.toMatchObject({ invalid: [] });
      expect(sim.calls.count('egvs', 200)).toBe(1);

      const error = await rejectionOf(client.egvs(tokens.access_token, { start: new Date(end - 30 * DAY - 1_000), end: new Date(end) }));
      expect(error.code).toBe('dexcom.invalidArgument');
      expect(sim.calls.count('egvs')).toBe(1);
      const query = new URLSearchParams({
        startDate: new Date(end - 30 * DAY - 1_000).toISOString().slice(0, 19),
        endDate: new Date(end).toISOString().slice(0, 19),
      });
      const direct = await fetch(`${sim.url}/v3/users/self/egvs?${query.toString()}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(direct.status).toBe(400);
      await direct.text();
    });

    it('when readings have not arrived yet, egvs answers none newer than the data delay, as the simulator says', async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('alice');
      const answer = await client.egvs(tokens.access_token, { start: new Date(clock.now() - 6 * HOUR), end: new Date(clock.now()) });
      const newest = Math.max(...answer.records.map((record) => Date.parse(systemInstant(record))));
      expect(newest).toBeLessThanOrEqual(clock.now() - HOUR);
      expect(answer.records.map((record) => record.recordId)).toEqual(sim.egvs('alice', clock.now() - 6 * HOUR, clock.now()).map((record) => record.recordId));
    });
  });

  describe('revisions', () => {
    it('when a run re-fetches an overlap and upserts by timestamp, the readings end with the final values under the same record ids', async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('alice');
      const store = new Map<string, GlucoseReadingInput>();
      const sync = async (hours: number) => {
        const answer = await client.egvs(tokens.access_token, { start: new Date(clock.now() - hours * HOUR), end: new Date(clock.now()) });
        for (const input of egvsToReadingInputs(answer.records, { now: new Date(clock.now()) }).inputs) store.set(input.timestamp, input);
      };
      const first = clock.now();
      await sync(6);
      clock.advance(90 * MINUTE); // within the access token's two hours
      await sync(6); // overlaps the first run by 4.5 hours

      const final = sim.egvs('alice', first - 6 * HOUR, clock.now());
      const revised = sim.egvs('alice', first - 2 * HOUR, first, { at: first }).filter((early) => final.some((late) => late.recordId === early.recordId && late.value !== early.value));
      expect(revised.length).toBeGreaterThan(0);
      expect([...store.values()].map((input) => [input.timestamp, input.dexcom?.record_id, input.glucose_value]).sort()).toEqual(
        final.map((record) => [systemInstant(record), record.recordId, record.status === 'low' ? 39 : record.status === 'high' ? 401 : record.value]).sort(),
      );
    });
  });

  describe('dataRange', () => {
    it("without lastSyncTime, answers the user's first and last reading that arrived, and no calibrations or events", async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('bob');
      const user = sim.users.get('bob');
      if (user === undefined) throw new Error('no bob');
      const all = sim.egvs('bob', user.dataStart, clock.now()); // newest first
      const [newest, oldest] = [all[0], all.at(-1)];
      if (newest === undefined || oldest === undefined) throw new Error('bob has no readings');

      const range = await client.dataRange(tokens.access_token);
      expect(range).toEqual({
        recordType: 'dataRange',
        recordVersion: '3.0',
        userId: user.userId,
        calibrations: null,
        events: null,
        egvs: {
          start: { systemTime: oldest.systemTime, displayTime: oldest.displayTime },
          end: { systemTime: newest.systemTime, displayTime: newest.displayTime },
        },
      });
    });

    it('with lastSyncTime, answers only the readings that arrived after it, and null when none did', async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('alice');
      const lastSync = clock.now();
      await expect(client.dataRange(tokens.access_token, new Date(lastSync))).resolves.toMatchObject({ egvs: null });

      clock.advance(40 * MINUTE);
      // Arrival is the data delay (1 h) after the reading: what arrived since lastSync was taken after lastSync - 1 h.
      const arrived = sim.egvs('alice', lastSync - HOUR + 1_000, clock.now() - HOUR);
      const range = await client.dataRange(tokens.access_token, new Date(lastSync).toISOString());
      const [newest, oldest] = [arrived[0], arrived.at(-1)];
      expect(range.egvs).toEqual(
        newest === undefined || oldest === undefined
          ? null
          : {
              start: { systemTime: oldest.systemTime, displayTime: oldest.displayTime },
              end: { systemTime: newest.systemTime, displayTime: newest.displayTime },
            },
      );
      expect(arrived.length).toBeGreaterThan(0);
      expect(lastSync).toBe(SIM_START);
    });
  });

  describe('an account without readings', () => {
    it('when no reading has arrived yet, egvs answers an empty list and dataRange null ranges, neither an error', async () => {
      const { sim, clock, client } = session;
      sim.users.add({ login: 'newbie', historyDays: 0 });
      const tokens = await session.connect('newbie');
      await expect(client.egvs(tokens.access_token, { start: new Date(clock.now() - DAY), end: new Date(clock.now()) })).resolves.toMatchObject({
        userId: sim.users.get('newbie')?.userId,
        records: [],
        invalid: [],
      });
      await expect(client.dataRange(tokens.access_token)).resolves.toMatchObject({ calibrations: null, egvs: null, events: null });
    });
  });

  describe('malformed records', () => {
    it('when the simulator mixes broken records into an answer, each is reported in invalid, every real record still comes, and nothing is thrown', async () => {
      const { sim, clock, client } = session;
      const tokens = await session.connect('chandra');
      const window = { start: new Date(clock.now() - DAY), end: new Date(clock.now()) };
      sim.faults.malformedRecords({ count: MALFORMED_KINDS.length, login: 'chandra' });

      const answer = await client.egvs(tokens.access_token, window);
      const expected = sim.egvs('chandra', window.start, window.end);
      expect(answer.records.map((record) => record.recordId)).toEqual(expected.map((record) => record.recordId));
      expect(answer.invalid).toHaveLength(MALFORMED_KINDS.length);
      expect(new Set(answer.invalid.map((bad) => bad.index)).size).toBe(MALFORMED_KINDS.length);
      for (const bad of answer.invalid) expect(bad.issues.length).toBeGreaterThan(0);
      // All but "missing recordId" and "not an object" carry an id of their own, never a real record's.
      const ids = answer.invalid.flatMap((bad) => (bad.record_id === undefined ? [] : [bad.record_id]));
      expect(ids).toHaveLength(MALFORMED_KINDS.length - 2);
      expect(ids.filter((id) => expected.some((record) => record.recordId === id))).toEqual([]);

      const { inputs, skipped } = egvsToReadingInputs(answer.records, { now: new Date(clock.now()) });
      expect(skipped).toEqual([]);
      expect(inputs.map((input) => input.timestamp).sort()).toEqual(expected.map(systemInstant).sort());

      // The fault was for one answer: the next is clean.
      await expect(client.egvs(tokens.access_token, window)).resolves.toMatchObject({ invalid: [] });
    });
  });
});
