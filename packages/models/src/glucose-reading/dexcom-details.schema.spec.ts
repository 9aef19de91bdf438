import { DexcomReadingDetailsSchema } from './dexcom-details.schema.ts';
import { GlucoseReadingInputSchema, GlucoseReadingSchema, toGlucoseReading } from './glucose-reading.schema.ts';

const dexcom = {
  record_id: '3f17180d-5a7e-8450-09c8-cb7e76447107',
  trend: 'fortyFiveUp',
  trend_rate: 1.4,
  transmitter_generation: 'g7',
  display_device: 'iOS',
} as const;

const input = {
  timestamp: '2026-04-30T15:00:00Z',
  glucose_value: 138,
  trend_direction: 'rising',
  device_info: { device_id: 'iOS', serial_number: '8HX3LM', transmitter_id: '8HX3LM' },
  source: 'dexcom',
  dexcom,
};

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('dexcom-details.schema', () => {
  describe('.DexcomReadingDetailsSchema', () => {
    it('when every field is given, accepts it unchanged', () => {
      expect(DexcomReadingDetailsSchema.parse(dexcom)).toEqual(dexcom);
    });

    it('when only record_id is given (Dexcom sent null trend and rate), accepts it', () => {
      expect(DexcomReadingDetailsSchema.parse({ record_id: 'r1' })).toEqual({ record_id: 'r1' });
    });

    it.each([
      ['no record_id', { trend: 'flat' }, 'record_id'],
      ['an empty record_id', { record_id: '' }, 'record_id'],
      ['a trend Dexcom does not name', { record_id: 'r', trend: 'TripleUp' }, 'trend'],
      ['a null trend (left out instead)', { record_id: 'r', trend: null }, 'trend'],
      ['a rate beyond ±100 mg/dL/min', { record_id: 'r', trend_rate: -100.5 }, 'trend_rate'],
      ['a generation Dexcom does not name', { record_id: 'r', transmitter_generation: 'g8' }, 'transmitter_generation'],
      ['an unknown field', { record_id: 'r', display_time: '2026-04-30T17:00:00+02:00' }, ''],
    ])('when it has %s, rejects it at its path', (_name, value, path) => {
      expect(issuesOf(DexcomReadingDetailsSchema.safeParse(value))).toEqual([path]);
    });
  });

  describe('.GlucoseReadingInputSchema', () => {
    it('when a reading carries dexcom details, keeps them through input and the stored form', () => {
      const parsed = GlucoseReadingInputSchema.parse(input);
      const reading = toGlucoseReading('u1', parsed, new Date('2026-04-30T16:00:00.000Z'));
      expect(reading.dexcom).toEqual(dexcom);
      expect(GlucoseReadingSchema.parse(reading)).toEqual(reading);
    });

    it('when a reading has no dexcom details, stays valid as before', () => {
      const { dexcom: _omitted, ...plain } = input;
      const reading = toGlucoseReading('u1', GlucoseReadingInputSchema.parse(plain), new Date('2026-04-30T16:00:00.000Z'));
      expect(reading).not.toHaveProperty('dexcom');
      expect(GlucoseReadingSchema.safeParse(reading).success).toBe(true);
    });

    it('when the dexcom details are malformed, points at the field inside them', () => {
      expect(issuesOf(GlucoseReadingInputSchema.safeParse({ ...input, dexcom: { ...dexcom, trend: 'up' } }))).toEqual([
        'dexcom.trend',
      ]);
    });
  });
});
