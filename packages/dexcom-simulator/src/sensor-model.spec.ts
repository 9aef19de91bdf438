import { egvRecords, egvRange, type EgvRecord } from './egv-records.ts';
import { DAY, HOUR, NOW, systemMillis, userFor, viewOf } from './test-support/sensor-fixtures.ts';
import { TRENDS } from './trend.ts';

const LOGINS = ['demo', 'alice', 'bob', 'carol'];

const histories = new Map<string, EgvRecord[]>();

/** Oldest first, which is the reverse of how egvs lists them; computed once per spec run. */
function history(login: string, days: number, options: Parameters<typeof userFor>[1] = {}): EgvRecord[] {
  const key = JSON.stringify([login, days, options]);
  let records = histories.get(key);
  if (!records) {
    records = egvRecords(viewOf(userFor(login, options)), NOW - days * DAY, NOW).reverse();
    histories.set(key, records);
  }
  return records;
}

describe('the simulated sensor', () => {
  describe('determinism', () => {
    it('gives the same records for the same user, and different ones for different users', () => {
      const threeDays = (login: string) => egvRecords(viewOf(userFor(login)), NOW - 3 * DAY, NOW);
      const first = threeDays('demo');
      expect(threeDays('demo')).toEqual(first);
      expect(threeDays('alice').map((record) => record.value)).not.toEqual(first.map((record) => record.value));
    });

    it('gives every reading the same record whatever window asked for it', () => {
      const user = userFor('demo');
      const month = egvRecords(viewOf(user), NOW - 30 * DAY, NOW);
      const day = egvRecords(viewOf(user), NOW - 11 * DAY, NOW - 10 * DAY);
      const byId = new Map(month.map((record) => [record.recordId, record]));
      expect(day.length).toBeGreaterThan(200);
      for (const record of day) expect(byId.get(record.recordId)).toEqual(record);
    });

    it('keeps recordIds unique and UUID-shaped', () => {
      const records = history('demo', 60);
      expect(new Set(records.map((record) => record.recordId)).size).toBe(records.length);
      for (const record of records) expect(record.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('lists records newest first, in whole seconds, within the window inclusive', () => {
      const user = userFor('demo');
      const records = egvRecords(viewOf(user), NOW - DAY, NOW);
      const times = records.map(systemMillis);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const time of times) {
        expect(time % 1000).toBe(0);
        expect(time).toBeGreaterThanOrEqual(NOW - DAY);
        expect(time).toBeLessThanOrEqual(NOW);
      }
      const [newest] = records;
      const exact = egvRecords(viewOf(user), systemMillis(newest as EgvRecord), systemMillis(newest as EgvRecord));
      expect(exact).toEqual([newest]);
    });
  });

  describe('timing', () => {
    it.each(LOGINS)('reads every 5 minutes within a sensor session, at the sensor’s own phase (%s)', (login) => {
      const records = history(login, 60);
      let sameTransmitterSteps = 0;
      for (let i = 1; i < records.length; i++) {
        const [previous, current] = [records[i - 1] as EgvRecord, records[i] as EgvRecord];
        const step = systemMillis(current) - systemMillis(previous);
        expect(step).toBeGreaterThan(0);
        if (current.transmitterTicks > previous.transmitterTicks && current.transmitterId === previous.transmitterId && step < 3 * HOUR) {
          expect(step % (5 * 60_000)).toBe(0);
          expect(current.transmitterTicks - previous.transmitterTicks).toBe(step / 1000);
          sameTransmitterSteps++;
        }
      }
      expect(sameTransmitterSteps).toBeGreaterThan(records.length * 0.9);
      // Real readings do not fall on :00/:05; phases differ between sensors.
      const phases = new Set(records.map((record) => systemMillis(record) % (5 * 60_000)));
      expect(phases.size).toBeGreaterThan(1);
    });

    it.each(LOGINS)('has occasional gaps: sensor changes with warm-up and signal losses (%s)', (login) => {
      const records = history(login, 60);
      const coverage = records.length / (60 * 288);
      expect(coverage).toBeGreaterThan(0.85);
      expect(coverage).toBeLessThan(0.995);
      const gaps = records.slice(1).map((record, i) => systemMillis(record) - systemMillis(records[i] as EgvRecord));
      expect(gaps.filter((gap) => gap > 10 * 60_000).length).toBeGreaterThan(3);
      // A new G7 sensor warms up for 30 minutes before its first reading.
      const changes = records.slice(1).filter((record, i) => record.transmitterId !== (records[i] as EgvRecord).transmitterId);
      expect(changes.length).toBeGreaterThanOrEqual(4);
      for (const record of changes) {
        const before = records[records.indexOf(record) - 1] as EgvRecord;
        expect(systemMillis(record) - systemMillis(before)).toBeGreaterThanOrEqual(30 * 60_000);
        expect(record.trend).toBe('none');
      }
    });

    it('keeps one G6 transmitter across sensor sessions for 90 days, with a 2-hour warm-up', () => {
      const records = history('demo', 200, { transmitterGeneration: 'g6', historyDays: 200 });
      const transmitters = new Set(records.map((record) => record.transmitterId));
      for (const id of transmitters) expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(transmitters.size).toBeGreaterThanOrEqual(2);
      expect(transmitters.size).toBeLessThanOrEqual(4);
      for (const record of records) expect(record.transmitterGeneration).toBe('g6');
      const sessionStarts = records.filter((record) => record.trend === 'none');
      expect(sessionStarts.length).toBeGreaterThanOrEqual(18);
      for (const start of sessionStarts.slice(1)) {
        const before = records[records.indexOf(start) - 1] as EgvRecord;
        expect(systemMillis(start) - systemMillis(before)).toBeGreaterThanOrEqual(2 * HOUR);
      }
    });

    it('has nothing before the user’s history begins or after what has arrived', () => {
      const user = userFor('demo', { historyDays: 10 });
      expect(egvRecords(viewOf(user), NOW - 30 * DAY, NOW - 10 * DAY - 1000)).toEqual([]);
      const records = egvRecords(viewOf(user, { availableUntil: NOW - 3 * HOUR }), NOW - DAY, NOW);
      expect(Math.max(...records.map(systemMillis))).toBeLessThanOrEqual(NOW - 3 * HOUR);
      expect(Math.min(...egvRecords(viewOf(user), NOW - 30 * DAY, NOW).map(systemMillis))).toBeGreaterThanOrEqual(NOW - 10 * DAY);
    });

    it('finds the first and last reading that have arrived for dataRange', () => {
      const user = userFor('demo', { historyDays: 30 });
      const range = egvRange(viewOf(user, { availableUntil: NOW - HOUR }));
      const all = egvRecords(viewOf(user, { availableUntil: NOW - HOUR }), NOW - 31 * DAY, NOW);
      expect(range?.first).toEqual(all.at(-1));
      expect(range?.last).toEqual(all[0]);
      expect(egvRange(viewOf(userFor('demo', { historyDays: 0 }), { availableUntil: NOW - HOUR }))).toBeUndefined();
    });
  });

  describe('glucose', () => {
    it.each(LOGINS)('moves smoothly and spends most of the time in range (%s)', (login) => {
      const records = history(login, 60);
      const values = records.filter((record) => record.status === 'ok').map((record) => record.value as number);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(mean).toBeGreaterThan(100);
      expect(mean).toBeLessThan(170);
      expect(values.filter((value) => value >= 70 && value <= 180).length / values.length).toBeGreaterThan(0.75);
      for (let i = 1; i < records.length; i++) {
        const [previous, current] = [records[i - 1] as EgvRecord, records[i] as EgvRecord];
        if (systemMillis(current) - systemMillis(previous) !== 5 * 60_000 || previous.value === null || current.value === null) continue;
        expect(Math.abs(current.value - previous.value)).toBeLessThanOrEqual(45);
      }
    });

    it.each(['Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles'])('follows the local day: lower at night than after dinner (%s)', (timeZone) => {
      const user = userFor('demo', { timeZone });
      const records = egvRecords(viewOf(user), NOW - 30 * DAY, NOW);
      const byLocalHour = (from: number, to: number) => {
        const values = records
          .filter((record) => {
            const hour = Number(record.displayTime.slice(11, 13));
            return hour >= from && hour < to && record.status === 'ok';
          })
          .map((record) => record.value as number);
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      };
      expect(byLocalHour(2, 4)).toBeLessThan(byLocalHour(19, 22));
    });

    it('reports readings below 40 and above 400 as LOW and HIGH, rarely', () => {
      let low = 0;
      let high = 0;
      let total = 0;
      for (const login of LOGINS) {
        for (const record of history(login, 60)) {
          total++;
          if (record.status === 'low') {
            low++;
            expect([null, 39]).toContain(record.value);
          } else if (record.status === 'high') {
            high++;
            expect([null, 401]).toContain(record.value);
          } else if (record.value !== null) {
            expect(record.value).toBeGreaterThanOrEqual(40);
            expect(record.value).toBeLessThanOrEqual(400);
          }
        }
      }
      expect(low / total).toBeGreaterThan(0.0003);
      expect(low / total).toBeLessThan(0.01);
      expect(high / total).toBeGreaterThan(0.0005);
      expect(high / total).toBeLessThan(0.02);
    });

    it.each([
      ['null', [null]],
      ['pinned', [39, 401]],
      ['mixed', [null, 39, 401]],
    ] as const)('carries LOW/HIGH values as configured (%s)', (outOfRangeValue, expected) => {
      const user = userFor('carol');
      const records = egvRecords(viewOf(user, { outOfRangeValue }), NOW - 60 * DAY, NOW);
      const values = new Set(records.filter((record) => record.status === 'low' || record.status === 'high').map((record) => record.value));
      expect([...values].sort()).toEqual([...expected].sort());
    });

    it('sometimes has no status, or status unknown with a value', () => {
      const records = history('demo', 60);
      expect(records.some((record) => record.status === null && record.value !== null)).toBe(true);
      expect(records.some((record) => record.status === 'unknown' && record.value !== null)).toBe(true);
      for (const record of records) expect(record).toMatchObject({ unit: 'mg/dL', rateUnit: 'mg/dL/min' });
    });
  });

  describe('trends', () => {
    it.each(LOGINS)('reaches all 11 trends and null in 60 days (%s)', (login) => {
      const trends = new Set(history(login, 60).map((record) => record.trend));
      expect([...trends].sort()).toEqual([...TRENDS, null].sort());
    });

    it('gives arrows that agree with the trend rate, and no rate without an arrow', () => {
      const bands: Record<string, [number, number]> = {
        doubleUp: [3, 5],
        singleUp: [2, 3],
        fortyFiveUp: [1, 2],
        flat: [-1, 1],
        fortyFiveDown: [-2, -1],
        singleDown: [-3, -2],
        doubleDown: [-5, -3],
      };
      let withoutRate = 0;
      for (const record of history('alice', 60)) {
        const band = record.trend === null ? undefined : bands[record.trend];
        if (!band) {
          expect(record.trendRate).toBeNull();
        } else if (record.trendRate === null) {
          withoutRate++;
        } else {
          expect(record.trendRate).toBeGreaterThanOrEqual(band[0] - 0.05);
          expect(record.trendRate).toBeLessThanOrEqual(band[1] + 0.05);
        }
      }
      expect(withoutRate).toBeGreaterThan(0);
    });

    it('reports notComputable right after a signal loss', () => {
      const records = history('bob', 60);
      const afterGap = records.filter((record, i) => {
        const previous = records[i - 1];
        return previous && previous.transmitterId === record.transmitterId && systemMillis(record) - systemMillis(previous) > 5 * 60_000;
      });
      expect(afterGap.length).toBeGreaterThan(0);
      for (const record of afterGap) expect(record.trend).toBe('notComputable');
    });
  });

  describe('times and devices', () => {
    it('writes receiver times without offsets, displayTime in the user’s zone across daylight saving', () => {
      const user = userFor('demo', { timeZone: 'Europe/Berlin', historyDays: 400 });
      const winter = egvRecords(viewOf(user), Date.UTC(2026, 0, 15), Date.UTC(2026, 0, 15, 1));
      const summer = egvRecords(viewOf(user), Date.UTC(2025, 6, 15), Date.UTC(2025, 6, 15, 1));
      for (const [records, offsetHours] of [
        [winter, 1],
        [summer, 2],
      ] as const) {
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) {
          expect(record.systemTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
          expect(record.displayTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
          expect(Date.parse(`${record.displayTime}Z`) - Date.parse(`${record.systemTime}Z`)).toBe(offsetHours * HOUR);
          expect(record.displayDevice).toBe('receiver');
        }
      }
    });

    it('writes app times with UTC offsets', () => {
      const user = userFor('demo', { timeZone: 'America/Los_Angeles', displayDevice: 'iOS' });
      const [record] = egvRecords(viewOf(user), Date.UTC(2026, 4, 1), Date.UTC(2026, 4, 1, 1));
      expect(record?.systemTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      expect(record?.displayTime).toMatch(/-07:00$/);
      expect(Date.parse(record?.displayTime ?? '')).toBe(Date.parse(record?.systemTime ?? ''));
      expect(record?.displayDevice).toBe('iOS');
    });
  });

  describe('revisions', () => {
    it('may show a preliminary value in the newest hour, changed once when it leaves it', () => {
      const user = userFor('dave');
      const at = NOW - 5 * HOUR;
      const preliminary = egvRecords(viewOf(user, { availableUntil: at, revisionWindowMs: HOUR }), at - HOUR, at);
      const final = new Map(egvRecords(viewOf(user, { availableUntil: NOW, revisionWindowMs: HOUR }), at - HOUR, at).map((record) => [record.recordId, record]));
      const changed = preliminary.filter((record) => final.get(record.recordId)?.value !== record.value);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.length).toBeLessThan(preliminary.length);
      for (const record of changed) {
        const { value, status, ...rest } = final.get(record.recordId) as EgvRecord;
        expect({ ...record, value, status }).toEqual({ ...rest, value, status });
      }
      // Older than the window: already final.
      const older = egvRecords(viewOf(user, { availableUntil: at, revisionWindowMs: HOUR }), at - 3 * HOUR, at - HOUR - 1000);
      for (const record of older) expect(final.get(record.recordId) ?? record).toEqual(record);
    });
  });
});
