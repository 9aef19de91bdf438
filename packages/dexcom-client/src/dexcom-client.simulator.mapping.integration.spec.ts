import { TRENDS, type EgvRecord as SimulatedEgvRecord, type OutOfRangeValue, type SimulatedUserOptions } from '@vitals/dexcom-simulator';
import type { GlucoseReadingInput } from '@vitals/models';
import { isDeepStrictEqual } from 'node:util';
import { egvWindows } from './dexcom-time.ts';
import { egvsToReadingInputs } from './egv-to-reading.ts';
import { DAY, startSimulatorSession, stopSimulatorSessions, systemInstant, type SimulatorSession } from './test-support/simulator-session.ts';

/*
 * What each simulated record becomes as a reading, record by record: the
 * simulator's own records (`sim.egvs`) next to the readings the client made
 * of the same records fetched over HTTP, matched by recordId.
 */

const USERS: SimulatedUserOptions[] = [
  { login: 'alice', timeZone: 'Europe/Berlin', displayDevice: 'iOS', transmitterGeneration: 'g7' },
  { login: 'bob', timeZone: 'America/New_York', displayDevice: 'receiver', transmitterGeneration: 'g6' },
  { login: 'chandra', timeZone: 'Asia/Kathmandu', displayDevice: 'android', transmitterGeneration: 'g7' },
];

/** Dexcom's trend words as the six stored directions, written out here rather than taken from models. */
const DIRECTION_OF: Record<string, string> = {
  doubleUp: 'rising_rapidly',
  singleUp: 'rising',
  fortyFiveUp: 'rising',
  flat: 'steady',
  fortyFiveDown: 'falling',
  singleDown: 'falling',
  doubleDown: 'falling_rapidly',
  none: 'unknown',
  unknown: 'unknown',
  notComputable: 'unknown',
  rateOutOfRange: 'unknown',
  null: 'unknown',
};

interface Pair {
  record: SimulatedEgvRecord;
  reading: GlucoseReadingInput;
}

/** `days` back from now for `login`, fetched by the client and mapped, each reading next to the simulator's record. */
async function pairs(session: SimulatorSession, login: string, days: number): Promise<Pair[]> {
  const { sim, clock, client } = session;
  const tokens = await session.connect(login);
  const end = clock.now();
  const start = end - days * DAY;
  const readings = new Map<string, GlucoseReadingInput>();
  for (const window of egvWindows(new Date(start), new Date(end))) {
    const answer = await client.egvs(tokens.access_token, window);
    expect(answer.invalid).toEqual([]);
    const { inputs, skipped } = egvsToReadingInputs(answer.records, { now: new Date(end) });
    expect(skipped).toEqual([]);
    for (const input of inputs) readings.set(input.dexcom?.record_id ?? '', input);
  }
  const expected = sim.egvs(login, start, end);
  expect(readings.size).toBe(expected.length);
  return expected.map((record) => {
    const reading = readings.get(record.recordId);
    if (reading === undefined) throw new Error(`no reading for record ${record.recordId} at ${record.systemTime}`);
    return { record, reading };
  });
}

function outOfRange(record: SimulatedEgvRecord): 'low' | 'high' | undefined {
  return record.status === 'low' || record.status === 'high' ? record.status : undefined;
}

describe('DexcomClient against the Dexcom simulator: records as readings', () => {
  afterEach(stopSimulatorSessions);

  describe('LOW and HIGH', () => {
    it.each<[OutOfRangeValue]>([['null'], ['pinned'], ['mixed']])(
      'when the simulator sends LOW/HIGH values as %s, every low becomes 39 and every high 401 with out_of_range, and every other reading keeps its value',
      async (convention) => {
        const session = await startSimulatorSession({ users: USERS, outOfRangeValue: convention });
        const all = (await Promise.all(USERS.map((user) => pairs(session, user.login, 60)))).flat();
        const lows = all.filter(({ record }) => outOfRange(record) === 'low');
        const highs = all.filter(({ record }) => outOfRange(record) === 'high');
        expect(lows.length).toBeGreaterThan(0);
        expect(highs.length).toBeGreaterThan(0);

        const sentValues = new Set([...lows, ...highs].map(({ record }) => record.value));
        if (convention === 'null') expect([...sentValues]).toEqual([null]);
        if (convention === 'pinned') expect([...sentValues].sort()).toEqual([39, 401]);
        if (convention === 'mixed') expect(sentValues.has(null) && (sentValues.has(39) || sentValues.has(401))).toBe(true);

        for (const { reading } of lows) expect({ value: reading.glucose_value, out_of_range: reading.out_of_range }).toEqual({ value: 39, out_of_range: 'low' });
        for (const { reading } of highs) expect({ value: reading.glucose_value, out_of_range: reading.out_of_range }).toEqual({ value: 401, out_of_range: 'high' });
        const wrong = all
          .filter(({ record }) => outOfRange(record) === undefined)
          .filter(({ record, reading }) => reading.glucose_value !== record.value || reading.out_of_range !== undefined);
        expect(wrong).toEqual([]);
      },
      60_000,
    );
  });

  describe('trends', () => {
    it('when the simulator sends every documented trend word and null, each maps to its direction and is kept with its rate', async () => {
      const session = await startSimulatorSession({ users: USERS });
      const all = (await Promise.all(USERS.slice(0, 2).map((user) => pairs(session, user.login, 60)))).flat();
      const seen = new Set(all.map(({ record }) => String(record.trend)));
      expect([...seen].sort()).toEqual([...TRENDS, 'null'].sort());

      const wrong = all.filter(({ record, reading }) => {
        const direction = DIRECTION_OF[String(record.trend)];
        return (
          reading.trend_direction !== direction ||
          reading.dexcom?.trend !== (record.trend ?? undefined) ||
          reading.dexcom?.trend_rate !== (record.trendRate ?? undefined)
        );
      });
      expect(wrong.map(({ record, reading }) => ({ trend: record.trend, trendRate: record.trendRate, direction: reading.trend_direction, dexcom: reading.dexcom }))).toEqual([]);
    });
  });

  describe('times and devices', () => {
    it.each(USERS.map((user) => [user.login, user] as const))(
      "for %s, timestamp is the record's systemTime in UTC, never its displayTime, across daylight-saving changes",
      async (login, user) => {
        const session = await startSimulatorSession({ users: USERS });
        const all = await pairs(session, login, 90); // 2026-03-03 to 06-01: both the US and the EU change
        const offsets = new Set<number>();
        for (const { record, reading } of all) {
          const timestamp = systemInstant(record);
          // displayTime's wall clock, read as if it were UTC: what a client that used it would store.
          const wallClock = Date.parse(`${record.displayTime.slice(0, 19)}Z`);
          offsets.add((wallClock - Date.parse(timestamp)) / 60_000);
          if (reading.timestamp !== timestamp) throw new Error(`${record.recordId}: ${reading.timestamp} is not systemTime ${record.systemTime}`);
        }
        // The zone's offsets, none zero: a client that took displayTime would be off by one of them.
        const expectedOffsets = { alice: [60, 120], bob: [-300, -240], chandra: [345] }[login as 'alice' | 'bob' | 'chandra'];
        expect([...offsets].sort((a, b) => a - b)).toEqual(expectedOffsets);
        const mobile = user.displayDevice !== 'receiver';
        expect(all.every(({ record }) => /[+-]\d{2}:\d{2}$/.test(record.systemTime) === mobile)).toBe(true);
        expect(all.every(({ record }) => /[+-]\d{2}:\d{2}$/.test(record.displayTime) === mobile)).toBe(true);
      },
    );

    it("when a record becomes a reading, its device, transmitter and Dexcom details are the record's", async () => {
      const session = await startSimulatorSession({ users: USERS });
      for (const user of USERS) {
        const all = await pairs(session, user.login, 3);
        expect(all.length).toBeGreaterThan(0);
        const wrong = all.filter(({ record, reading }) => {
          const transmitter = record.transmitterId ?? record.displayDevice;
          const expected = {
            device_info: { device_id: record.displayDevice, serial_number: transmitter, ...(record.transmitterId === null ? {} : { transmitter_id: record.transmitterId }) },
            source: 'dexcom',
            reading_type: 'CGM',
            glucose_unit: 'mg/dL',
            record_id: record.recordId,
            transmitter_generation: record.transmitterGeneration,
            display_device: record.displayDevice,
          };
          const actual = {
            device_info: reading.device_info,
            source: reading.source,
            reading_type: reading.reading_type,
            glucose_unit: reading.glucose_unit,
            record_id: reading.dexcom?.record_id,
            transmitter_generation: reading.dexcom?.transmitter_generation,
            display_device: reading.dexcom?.display_device,
          };
          return !isDeepStrictEqual(actual, expected);
        });
        expect(wrong).toEqual([]);
      }
    });
  });
});
