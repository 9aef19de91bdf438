import { GlucoseReadingInputSchema, GlucoseReadingSchema, toGlucoseReading } from './glucose-reading.schema.ts';
import type { GlucoseReading } from './glucose-reading.schema.ts';

const device_info = { device_id: 'g7-1', serial_number: 'SN123' };

const stored: GlucoseReading = {
  user_id: 'u1',
  timestamp: '2025-05-23T13:00:00.000Z',
  glucose_value: 112,
  glucose_unit: 'mg/dL',
  trend_direction: 'steady',
  device_info,
  reading_type: 'CGM',
  source: 'dexcom',
  created_at: '2025-05-23T13:05:00.000Z',
  updated_at: '2025-05-23T13:05:00.000Z',
};

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('glucose-reading.schema', () => {
  describe('.GlucoseReadingSchema', () => {
    it('when the item is complete, accepts it unchanged', () => {
      expect(GlucoseReadingSchema.parse(stored)).toEqual(stored);
    });

    it('when optional fields are present, accepts them', () => {
      const full = {
        ...stored,
        device_info: { ...device_info, transmitter_id: 'TX9' },
        expires_at: 1_780_000_000,
        out_of_range: 'low',
        glucose_value: 39,
      };
      expect(GlucoseReadingSchema.parse(full)).toEqual(full);
    });

    it.each([20, 600])('when glucose_value is at the bound %d, accepts it', (value) => {
      expect(GlucoseReadingSchema.safeParse({ ...stored, glucose_value: value }).success).toBe(true);
    });

    it.each([19, 601, 19.9])('when glucose_value %d is outside 20..600 without out_of_range, rejects it', (value) => {
      expect(issuesOf(GlucoseReadingSchema.safeParse({ ...stored, glucose_value: value }))).toEqual([
        'glucose_value: must be 20..600 mg/dL',
      ]);
    });

    it('when out_of_range is set, only its sentinel is allowed', () => {
      expect(GlucoseReadingSchema.safeParse({ ...stored, out_of_range: 'high', glucose_value: 401 }).success).toBe(true);
      expect(issuesOf(GlucoseReadingSchema.safeParse({ ...stored, out_of_range: 'high', glucose_value: 400 }))).toEqual([
        'glucose_value: must be 401 mg/dL when out_of_range is "high"',
      ]);
      expect(GlucoseReadingSchema.safeParse({ ...stored, out_of_range: 'low', glucose_value: 401 }).success).toBe(false);
    });

    it.each([
      ['an unknown field', { ...stored, note: 'x' }],
      ['an unknown device_info field', { ...stored, device_info: { ...device_info, firmware: '1' } }],
      ['a mmol/L unit', { ...stored, glucose_unit: 'mmol/L' }],
      ['an unknown trend', { ...stored, trend_direction: 'up' }],
      ['an unknown reading type', { ...stored, reading_type: 'BGM' }],
      ['a timestamp without millis', { ...stored, timestamp: '2025-05-23T13:00:00Z' }],
      ['a fractional expires_at', { ...stored, expires_at: 1.5 }],
      ['an empty source', { ...stored, source: '' }],
      ['a missing device_info', { ...stored, device_info: undefined }],
      ['a missing created_at', { ...stored, created_at: undefined }],
      ['an unknown out_of_range', { ...stored, out_of_range: 'very_low' }],
    ])('when the item has %s, rejects it', (_label, item) => {
      expect(GlucoseReadingSchema.safeParse(item).success).toBe(false);
    });
  });

  describe('.GlucoseReadingInputSchema', () => {
    const input = { timestamp: '2025-05-23T13:00:00.000Z', glucose_value: 112, device_info };

    it('when optional fields are left out, fills the defaults', () => {
      expect(GlucoseReadingInputSchema.parse(input)).toEqual({
        ...input,
        glucose_unit: 'mg/dL',
        trend_direction: 'unknown',
        reading_type: 'CGM',
        source: 'dexcom',
      });
    });

    it('when the unit is mmol/L, converts to integer mg/dL (× 18.01559, rounded)', () => {
      // 6.2 × 18.01559 = 111.696658 → 112; 5.5 × 18.01559 = 99.085745 → 99
      expect(GlucoseReadingInputSchema.parse({ ...input, glucose_value: 6.2, glucose_unit: 'mmol/L' })).toMatchObject({
        glucose_value: 112,
        glucose_unit: 'mg/dL',
      });
      expect(GlucoseReadingInputSchema.parse({ ...input, glucose_value: 5.5, glucose_unit: 'mmol/L' }).glucose_value).toBe(99);
    });

    it('when a mmol/L value converts outside 20..600, rejects it after conversion', () => {
      // 1.0 × 18.01559 = 18 < 20; 33.4 × 18.01559 = 601.7 → 602 > 600; 33.3 → 599.9 → 600 is allowed
      expect(GlucoseReadingInputSchema.safeParse({ ...input, glucose_value: 1, glucose_unit: 'mmol/L' }).success).toBe(false);
      expect(GlucoseReadingInputSchema.safeParse({ ...input, glucose_value: 33.4, glucose_unit: 'mmol/L' }).success).toBe(false);
      expect(GlucoseReadingInputSchema.parse({ ...input, glucose_value: 33.3, glucose_unit: 'mmol/L' }).glucose_value).toBe(600);
    });

    it('when out_of_range is set, requires the mg/dL sentinel in either unit', () => {
      expect(GlucoseReadingInputSchema.parse({ ...input, glucose_value: 39, out_of_range: 'low' }).glucose_value).toBe(39);
      expect(
        GlucoseReadingInputSchema.parse({ ...input, glucose_value: 401, out_of_range: 'high', glucose_unit: 'mmol/L' }),
      ).toMatchObject({ glucose_value: 401, glucose_unit: 'mg/dL', out_of_range: 'high' });
      expect(GlucoseReadingInputSchema.safeParse({ ...input, glucose_value: 40, out_of_range: 'low' }).success).toBe(false);
      expect(GlucoseReadingInputSchema.safeParse({ ...input, glucose_value: 2.2, out_of_range: 'low', glucose_unit: 'mmol/L' }).success).toBe(false);
    });

    it.each([
      ['user_id', { ...input, user_id: 'u1' }],
      ['created_at', { ...input, created_at: '2025-05-23T13:00:00.000Z' }],
      ['updated_at', { ...input, updated_at: '2025-05-23T13:00:00.000Z' }],
      ['expires_at', { ...input, expires_at: 1 }],
      ['an unknown field', { ...input, extra: true }],
    ])('when the client sends %s, rejects it (server-filled or unknown)', (_label, body) => {
      expect(GlucoseReadingInputSchema.safeParse(body).success).toBe(false);
    });

    it('when the unit is neither mg/dL nor mmol/L, rejects it', () => {
      expect(GlucoseReadingInputSchema.safeParse({ ...input, glucose_unit: 'mg/L' }).success).toBe(false);
    });
  });

  describe('.toGlucoseReading', () => {
    it('when given an input, fills user_id and the server times, and validates as stored', () => {
      const parsed = GlucoseReadingInputSchema.parse({ timestamp: '2025-05-23T13:00:00.000Z', glucose_value: 112, device_info });
      const reading = toGlucoseReading('u1', parsed, new Date('2025-05-23T13:05:00.000Z'), 1_780_000_000);
      expect(reading).toEqual({
        ...stored,
        trend_direction: 'unknown',
        srv_modified: Date.parse('2025-05-23T13:05:00.000Z'),
        expires_at: 1_780_000_000,
      });
      expect(GlucoseReadingSchema.safeParse(reading).success).toBe(true);
      expect(toGlucoseReading('u1', parsed, new Date(0))).not.toHaveProperty('expires_at');
    });
  });
});
