import { toGlucoseReading, GlucoseReadingSchema, type GlucoseReading } from './glucose-reading.schema.ts';
import { NIGHTSCOUT_DIRECTIONS } from './nightscout-details.schema.ts';
import { NightscoutEntryInputSchema, nightscoutEntryId, readingToNightscoutEntry, type NightscoutUpload } from './nightscout-entry.ts';

const NOW = new Date('2026-12-06T00:00:00.000Z');
const DATE = Date.parse('2026-12-05T10:00:00.000Z');

/** An entry as xDrip+ uploads one. */
const xdripEntry = {
  device: 'xDrip-DexcomG6',
  date: DATE,
  dateString: '2026-12-05T11:00:00.000+0100',
  sgv: 142,
  delta: 3.2,
  direction: 'FortyFiveUp',
  type: 'sgv',
  filtered: 152000,
  unfiltered: 154000,
  rssi: 100,
  noise: 1,
  sysTime: '2026-12-05T11:00:00.000+0100',
  utcOffset: 60,
};

function stored(entry: unknown, user = 'alice'): GlucoseReading {
  const upload = NightscoutEntryInputSchema.parse(entry);
  if (upload.kind !== 'sgv') throw new Error(`not an sgv: ${upload.type}`);
  return GlucoseReadingSchema.parse(toGlucoseReading(user, upload.reading, NOW));
}

function problems(entry: unknown): string[] {
  const result = NightscoutEntryInputSchema.safeParse(entry);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('nightscout-entry', () => {
  describe('.NightscoutEntryInputSchema', () => {
    it('maps an xDrip+ sgv entry onto a reading, keeping what it sent in `nightscout` and ignoring unknown fields', () => {
      const reading = stored(xdripEntry);
      expect(reading).toMatchObject({
        timestamp: '2026-12-05T10:00:00.000Z',
        glucose_value: 142,
        glucose_unit: 'mg/dL',
        trend_direction: 'rising',
        device_info: { device_id: 'xDrip-DexcomG6', serial_number: 'unknown' },
        reading_type: 'CGM',
        source: 'nightscout',
        nightscout: {
          direction: 'FortyFiveUp',
          noise: 1,
          filtered: 152000,
          unfiltered: 154000,
          rssi: 100,
          device: 'xDrip-DexcomG6',
          date_string: '2026-12-05T11:00:00.000+0100',
          sys_time: '2026-12-05T11:00:00.000+0100',
          utc_offset: 60,
        },
      });
      expect(reading).not.toHaveProperty('delta');
    });

    it.each([
      ['TripleUp', 'rising_rapidly'],
      ['DoubleUp', 'rising_rapidly'],
      ['SingleUp', 'rising'],
      ['FortyFiveUp', 'rising'],
      ['Flat', 'steady'],
      ['FortyFiveDown', 'falling'],
      ['SingleDown', 'falling'],
      ['DoubleDown', 'falling_rapidly'],
      ['TripleDown', 'falling_rapidly'],
      ['NONE', 'unknown'],
      ['NOT COMPUTABLE', 'unknown'],
      ['RATE OUT OF RANGE', 'unknown'],
      ['NotComputable', 'unknown'],
      ['RateOutOfRange', 'unknown'],
    ])('direction %s is trend_direction %s and comes back verbatim', (direction, trend) => {
      const reading = stored({ type: 'sgv', sgv: 100, date: DATE, direction });
      expect(reading.trend_direction).toBe(trend);
      expect(readingToNightscoutEntry(reading).direction).toBe(direction);
    });

    it('reads a numeric trend sent without a direction as Nightscout numbers it, and gives back the number', () => {
      const reading = stored({ type: 'sgv', sgv: 100, date: DATE, trend: 7 });
      expect(reading.trend_direction).toBe('falling_rapidly');
      expect(readingToNightscoutEntry(reading)).toMatchObject({ trend: 7, direction: 'DoubleDown' });
    });

    it('stores sgv 39 as LOW and 401 as HIGH, and gives the sentinels back', () => {
      expect(stored({ type: 'sgv', sgv: 39, date: DATE })).toMatchObject({ glucose_value: 39, out_of_range: 'low' });
      expect(stored({ type: 'sgv', sgv: 401, date: DATE })).toMatchObject({ glucose_value: 401, out_of_range: 'high' });
      expect(readingToNightscoutEntry(stored({ type: 'sgv', sgv: 401, date: DATE })).sgv).toBe(401);
    });

    it("takes Loop's fractional date to the millisecond and gives back its condition, isCalibration and null trendRate as sent", () => {
      const loop = { date: DATE + 0.731, dateString: '2026-12-05T10:00:00Z', type: 'sgv', sgv: 40, trend: 7, direction: 'DoubleDown', condition: 'belowRange', trendRate: null, isCalibration: false };
      const reading = stored(loop);
      expect(reading).toMatchObject({ timestamp: '2026-12-05T10:00:00.000Z', glucose_value: 40, nightscout: { condition: 'belowRange', is_calibration: false } });
      expect(reading.nightscout).not.toHaveProperty('trend_rate');
      const { trendRate: _rate, ...rest } = loop;
      expect(readingToNightscoutEntry(reading)).toEqual({ ...rest, date: DATE, sysTime: '2026-12-05T10:00:00.000Z', device: 'unknown', _id: expect.any(String) });
    });

    it('takes the time from dateString when date is missing; an entry without type but with sgv is an sgv', () => {
      expect(stored({ sgv: 120, dateString: '2026-12-05T11:00:00+01:00' }).timestamp).toBe('2026-12-05T10:00:00.000Z');
    });

    it('answers mbg and cal entries as ignored, with their type, without validating their fields', () => {
      const mbg = NightscoutEntryInputSchema.parse({ type: 'mbg', mbg: 110, date: DATE });
      const cal = NightscoutEntryInputSchema.parse({ type: 'cal', slope: 'x', date: 'whenever' });
      expect(mbg).toEqual<NightscoutUpload>({ kind: 'ignored', type: 'mbg', entry: { type: 'mbg', mbg: 110, date: DATE } });
      expect(cal).toMatchObject({ kind: 'ignored', type: 'cal' });
    });

    it('points each problem at the Nightscout field', () => {
      expect(problems({ type: 'sgv', sgv: 5, date: DATE })).toEqual(['sgv: must be 20..600 mg/dL (39 is LOW, 401 HIGH)']);
      expect(problems({ type: 'sgv', sgv: 100 })).toEqual(['date: is required: epoch milliseconds']);
      expect(problems({ type: 'sgv', sgv: 100, dateString: 'yesterday' })).toEqual(['dateString: is not a date and no date was sent']);
      expect(problems({ type: 'sgv', sgv: 100, date: 0 })).toEqual(['date: must not be before 1980-01-01T00:00:00.000Z']);
      expect(problems({ type: 'sgv', sgv: '100', date: DATE })).toEqual([expect.stringMatching(/^sgv: /)]);
      expect(problems({ type: 'sgv', sgv: 100, date: DATE, direction: 'Sideways' })).toEqual([expect.stringMatching(/^direction: /)]);
      expect(problems({ type: 'sgv', sgv: 100, date: DATE, device: 'x'.repeat(201) })).toEqual([expect.stringMatching(/^device: /)]);
      expect(problems({ sgv_missing: true, date: DATE })).toEqual(['type: is required: sgv, mbg, cal, …']);
      expect(problems({ type: 'sgv', date: DATE })).toEqual([expect.stringMatching(/^sgv: /)]);
    });
  });

  describe('.readingToNightscoutEntry', () => {
    it('gives back every field an entry came with, verbatim, under a stable _id', () => {
      const { delta: _delta, ...sent } = xdripEntry;
      const entry = readingToNightscoutEntry(stored(xdripEntry));
      expect(entry).toEqual({ ...sent, _id: nightscoutEntryId('alice', '2026-12-05T10:00:00.000Z'), trend: 3 });
    });

    it('gives a reading from elsewhere the direction of its Dexcom trend word, else of its trend_direction', () => {
      const base = stored({ type: 'sgv', sgv: 100, date: DATE });
      const { nightscout: _ns, ...plain } = base;
      const dexcom = { ...plain, source: 'dexcom', trend_direction: 'unknown' as const, dexcom: { record_id: 'r1', trend: 'notComputable' as const, trend_rate: 0.5 } };
      expect(readingToNightscoutEntry(dexcom)).toMatchObject({ direction: 'NOT COMPUTABLE', trend: 8, trendRate: 0.5, device: 'unknown' });
      expect(readingToNightscoutEntry({ ...plain, trend_direction: 'falling_rapidly' })).toMatchObject({ direction: 'DoubleDown', trend: 7 });
      expect(readingToNightscoutEntry({ ...plain, trend_direction: 'unknown' })).toMatchObject({ direction: 'NONE', trend: 0 });
      expect(readingToNightscoutEntry(plain)).toMatchObject({ dateString: '2026-12-05T10:00:00.000Z', sysTime: '2026-12-05T10:00:00.000Z', date: DATE });
    });

    it('every direction survives entry → reading → entry', () => {
      for (const direction of NIGHTSCOUT_DIRECTIONS) {
        expect(readingToNightscoutEntry(stored({ type: 'sgv', sgv: 100, date: DATE, direction })).direction).toBe(direction);
      }
    });
  });

  describe('.nightscoutEntryId', () => {
    it('is 24 hex digits, the same for the same user and time, and differs between users and times', () => {
      const id = nightscoutEntryId('alice', '2026-12-05T10:00:00.000Z');
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(nightscoutEntryId('alice', '2026-12-05T10:00:00.000Z')).toBe(id);
      expect(nightscoutEntryId('bob', '2026-12-05T10:00:00.000Z')).not.toBe(id);
      expect(nightscoutEntryId('alice', '2026-12-05T10:05:00.000Z')).not.toBe(id);
    });
  });
});
