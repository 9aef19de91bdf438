import { InstantInputSchema } from '../common/formats.schema.ts';
import { SyncJobInputSchema } from '../sync-job/sync-job.schema.ts';
import { GlucoseReadingInputSchema } from './glucose-reading.schema.ts';
import { DEXCOM_TREND_NAMES, NIGHTSCOUT_TREND_NAMES } from './glucose-units.ts';

const device = { device_id: 'g7', serial_number: 'SN1' };
const reading = (extra: Record<string, unknown>) => ({ timestamp: '2026-05-01T08:00:00.000Z', glucose_value: 120, device_info: device, ...extra });
const issuesOf = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('formats clients send', () => {
  describe('InstantInputSchema', () => {
    it.each([
      ['2026-05-01T08:00:00.000Z', '2026-05-01T08:00:00.000Z'],
      ['2026-05-01T08:00:00Z', '2026-05-01T08:00:00.000Z'],
      ['2026-05-01T10:00:00+02:00', '2026-05-01T08:00:00.000Z'],
      ['2026-04-30T23:30:00-08:30', '2026-05-01T08:00:00.000Z'],
      ['2026-05-01T08:00:00.123456+00:00', '2026-05-01T08:00:00.123Z'],
      ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
    ])('when given %s, stores %s', (sent, stored) => {
      expect(InstantInputSchema.parse(sent)).toBe(stored);
    });

    it.each(['2026-05-01T08:00:00', '2026-05-01', '2026-02-30T00:00:00Z', '2026-05-01T24:00:00Z', '1777622400000', 'yesterday'])(
      'when given %s, refuses it naming the RFC 3339 form',
      (sent) => {
        expect(issuesOf(InstantInputSchema.safeParse(sent))).toEqual([expect.stringContaining('RFC 3339')]);
      },
    );
  });

  describe('GlucoseReadingInputSchema.timestamp', () => {
    it('when the timestamp has an offset, stores it in UTC', () => {
      expect(GlucoseReadingInputSchema.parse(reading({ timestamp: '2026-05-01T10:00:00+02:00' })).timestamp).toBe('2026-05-01T08:00:00.000Z');
    });

    it('when the timestamp is epoch milliseconds, stores it in UTC', () => {
      expect(GlucoseReadingInputSchema.parse(reading({ timestamp: Date.UTC(2026, 4, 1, 8) })).timestamp).toBe('2026-05-01T08:00:00.000Z');
    });

    it.each([1.5, -1, 1e16])('when the timestamp is the number %s, it is refused at timestamp', (timestamp) => {
      expect(issuesOf(GlucoseReadingInputSchema.safeParse(reading({ timestamp })))).toEqual([expect.stringMatching(/^timestamp: /)]);
    });
  });

  describe('GlucoseReadingInputSchema.trend_direction', () => {
    const expected: Record<string, string> = {
      none: 'unknown',
      unknown: 'unknown',
      doubleUp: 'rising_rapidly',
      singleUp: 'rising',
      fortyFiveUp: 'rising',
      flat: 'steady',
      fortyFiveDown: 'falling',
      singleDown: 'falling',
      doubleDown: 'falling_rapidly',
      notComputable: 'unknown',
      rateOutOfRange: 'unknown',
      NONE: 'unknown',
      TripleUp: 'rising_rapidly',
      DoubleUp: 'rising_rapidly',
      SingleUp: 'rising',
      FortyFiveUp: 'rising',
      Flat: 'steady',
      FortyFiveDown: 'falling',
      SingleDown: 'falling',
      DoubleDown: 'falling_rapidly',
      TripleDown: 'falling_rapidly',
      'NOT COMPUTABLE': 'unknown',
      'RATE OUT OF RANGE': 'unknown',
    };

    it('when every Dexcom v3 and Nightscout name is listed, each has its expected direction here', () => {
      expect(Object.keys(expected).sort()).toEqual([...DEXCOM_TREND_NAMES, ...NIGHTSCOUT_TREND_NAMES].sort());
    });

    it.each(Object.entries(expected))('when the trend is %s, stores %s', (trend, stored) => {
      expect(GlucoseReadingInputSchema.parse(reading({ trend_direction: trend })).trend_direction).toBe(stored);
    });

    it.each(['rising_rapidly', 'steady', 'falling'])('when the trend is the stored name %s, keeps it', (trend) => {
      expect(GlucoseReadingInputSchema.parse(reading({ trend_direction: trend })).trend_direction).toBe(trend);
    });

    it.each(['sideways', 'constructor', 'FLAT '])('when the trend is %j, it is refused at trend_direction', (trend) => {
      expect(issuesOf(GlucoseReadingInputSchema.safeParse(reading({ trend_direction: trend })))).toEqual([expect.stringMatching(/^trend_direction: /)]);
    });
  });

  describe('GlucoseReadingInputSchema.glucose_value', () => {
    it('when a mmol/L value is out of range, the message speaks mmol/L', () => {
      expect(issuesOf(GlucoseReadingInputSchema.safeParse(reading({ glucose_value: 1.0, glucose_unit: 'mmol/L' })))).toEqual([
        'glucose_value: must be 1.1..33.3 mmol/L (20..600 mg/dL); 1 mmol/L is 18 mg/dL',
      ]);
    });

    it.each([
      [1.1, 20],
      [33.3, 600],
    ])('when %s mmol/L is at an end of the range it names, it is accepted (%s mg/dL)', (mmol, mgdl) => {
      expect(GlucoseReadingInputSchema.parse(reading({ glucose_value: mmol, glucose_unit: 'mmol/L' })).glucose_value).toBe(mgdl);
    });

    it('when a mg/dL value is out of range, the message speaks mg/dL', () => {
      expect(issuesOf(GlucoseReadingInputSchema.safeParse(reading({ glucose_value: 18 })))).toEqual(['glucose_value: must be 20..600 mg/dL']);
    });
  });

  describe('SyncJobInputSchema', () => {
    it('when its instants have offsets, stores them in UTC', () => {
      const job = SyncJobInputSchema.parse({
        provider: 'dexcom',
        scheduled_at: '2026-05-01T10:00:00+02:00',
        window_start: '2026-04-30T02:00:00+02:00',
        window_end: '2026-05-01T00:00:00Z',
      });
      expect(job).toMatchObject({ scheduled_at: '2026-05-01T08:00:00.000Z', window_start: '2026-04-30T00:00:00.000Z', window_end: '2026-05-01T00:00:00.000Z' });
    });
  });
});
