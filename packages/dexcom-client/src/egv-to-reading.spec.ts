import { DEXCOM_TREND_NAMES, GlucoseReadingSchema, toGlucoseReading, trendFromDexcom, type TrendDirection } from '@vitals/models';
import { parseEgvRecords } from './egv-records.ts';
import { egvToReadingInput, egvsToReadingInputs, type EgvMapping } from './egv-to-reading.ts';
import { egvRecord, parsedEgvRecord } from './test-support/dexcom-fixtures.ts';

function inputOf(mapping: EgvMapping) {
  if (!mapping.ok) throw new Error(`skipped: ${mapping.skipped.reason}`);
  return mapping.input;
}

function reasonOf(mapping: EgvMapping): string {
  if (mapping.ok) throw new Error('mapped');
  return mapping.skipped.reason;
}

describe('egv-records', () => {
  describe('.parseEgvRecords', () => {
    it('when some records do not parse, keeps the others in order and reports each bad one by index, recordId and issues', () => {
      const { records, invalid } = parseEgvRecords([
        egvRecord({ recordId: 'a' }),
        egvRecord({ recordId: 'b', value: 'high' }),
        null,
        egvRecord({ recordId: 'd', trend: 'sideways', systemTime: 'noon' }),
        egvRecord({ recordId: 'e' }),
        egvRecord({ recordId: undefined }),
      ]);
      expect(records.map((record) => record.recordId)).toEqual(['a', 'e']);
      expect(invalid).toEqual([
        { index: 1, record_id: 'b', issues: [expect.stringMatching(/^value: /)] },
        { index: 2, issues: [expect.stringMatching(/^\(record\): /)] },
        { index: 3, record_id: 'd', issues: [expect.stringMatching(/^systemTime: /), expect.stringMatching(/^trend: /)] },
        { index: 5, issues: [expect.stringMatching(/^recordId: /)] },
      ]);
    });

    it('when a record breaks every rule, its issues are capped at ten and say how many more there were', () => {
      const { invalid } = parseEgvRecords([Object.fromEntries(Object.keys(egvRecord()).map((key) => [key, {}]))]);
      expect(invalid[0]?.issues).toHaveLength(11);
      expect(invalid[0]?.issues[10]).toBe('… and 3 more');
    });
  });
});

describe('egv-to-reading', () => {
  describe('.egvToReadingInput', () => {
    it('when the record is an ordinary EGV, maps every field', () => {
      expect(inputOf(egvToReadingInput(parsedEgvRecord()))).toEqual({
        timestamp: '2026-04-30T15:00:00.000Z',
        glucose_value: 138,
        glucose_unit: 'mg/dL',
        trend_direction: 'rising',
        device_info: { device_id: 'iOS', serial_number: '8HX3LM', transmitter_id: '8HX3LM' },
        reading_type: 'CGM',
        source: 'dexcom',
        dexcom: {
          record_id: '3f17180d-5a7e-8450-09c8-cb7e76447107',
          trend: 'fortyFiveUp',
          trend_rate: 1.4,
          transmitter_generation: 'g7',
          display_device: 'iOS',
        },
      });
    });

    it('when systemTime has an offset, the timestamp is the UTC instant; displayTime is not used', () => {
      const input = inputOf(egvToReadingInput(parsedEgvRecord({ systemTime: '2026-04-30T08:00:00-07:00', displayTime: '2026-04-30T08:00:00-07:00' })));
      expect(input.timestamp).toBe('2026-04-30T15:00:00.000Z');
    });

    it.each([
      ['a value below 40', { value: 39 }, 39, 'low'],
      ['a value of 20', { value: 20 }, 39, 'low'],
      ['status low with a null value', { value: null, status: 'low' }, 39, 'low'],
      ['status low with a value', { value: 40, status: 'low' }, 39, 'low'],
      ['a value above 400', { value: 401 }, 401, 'high'],
      ['status high with a null value', { value: null, status: 'high' }, 401, 'high'],
      ['status high with a value', { value: 400, status: 'high' }, 401, 'high'],
    ] as const)('when it has %s, stores the sentinel with out_of_range, as the Clarity import does', (_name, change, value, outOfRange) => {
      expect(inputOf(egvToReadingInput(parsedEgvRecord(change)))).toMatchObject({ glucose_value: value, out_of_range: outOfRange });
    });

    it.each([40, 400])('when the value is %d (the edge of the sensor range), stores it as measured', (value) => {
      const input = inputOf(egvToReadingInput(parsedEgvRecord({ value })));
      expect(input.glucose_value).toBe(value);
      expect(input).not.toHaveProperty('out_of_range');
    });

    it('when the unit is mmol/L, converts the value (and mmol/L/min rates) to mg/dL', () => {
      const input = inputOf(egvToReadingInput(parsedEgvRecord({ value: 7, unit: 'mmol/L', trendRate: 0.1, rateUnit: 'mmol/L/min' })));
      expect(input).toMatchObject({ glucose_value: 126, glucose_unit: 'mg/dL', dexcom: { trend_rate: 1.8 } });
    });

    it.each(DEXCOM_TREND_NAMES.map((trend) => [trend, trendFromDexcom(trend)] as [string, TrendDirection]))(
      'when the trend is %s, trend_direction is %s and the word is kept',
      (trend, direction) => {
        const input = inputOf(egvToReadingInput(parsedEgvRecord({ trend: trend as never })));
        expect([input.trend_direction, input.dexcom?.trend]).toEqual([direction, trend]);
      },
    );

    it('when trend, trendRate and transmitterId are null, maps what there is and leaves the rest out', () => {
      const input = inputOf(egvToReadingInput(parsedEgvRecord({ trend: null, trendRate: null, transmitterId: null, displayDevice: 'receiver' })));
      expect(input).toMatchObject({ trend_direction: 'unknown', device_info: { device_id: 'receiver', serial_number: 'receiver' } });
      expect(input.device_info).not.toHaveProperty('transmitter_id');
      expect(input.dexcom).toEqual({ record_id: '3f17180d-5a7e-8450-09c8-cb7e76447107', transmitter_generation: 'g7', display_device: 'receiver' });
    });

    it.each([
      ['no value and no LOW/HIGH status', { value: null, status: 'ok' }, 'no glucose value (status ok)'],
      ['no value and no status', { value: null, status: null }, 'no glucose value (status null)'],
      ['status low with a value above 400', { value: 450, status: 'low' }, 'status low contradicts value 450 mg/dL'],
      ['a rate beyond ±100 mg/dL/min', { trendRate: 250 }, expect.stringMatching(/^dexcom\.trend_rate: /)],
      ['a systemTime before 1980', { systemTime: '1970-01-01T00:00:00' }, expect.stringMatching(/^timestamp: /)],
    ])('when it has %s, skips it with the reason', (_name, change, reason) => {
      expect(egvToReadingInput(parsedEgvRecord(change as never))).toEqual({
        ok: false,
        skipped: { record_id: '3f17180d-5a7e-8450-09c8-cb7e76447107', reason },
      });
    });

    it('when `now` is given and the reading is more than 24 h after it, skips it as the repositories would refuse it', () => {
      const record = parsedEgvRecord({ systemTime: '2026-05-02T15:00:01' });
      expect(reasonOf(egvToReadingInput(record, { now: new Date('2026-05-01T15:00:00Z') }))).toMatch(/^timestamp: /);
      expect(egvToReadingInput(record).ok).toBe(true);
    });

    it('when mapped, the input becomes a stored reading the model accepts', () => {
      const reading = toGlucoseReading('u1', inputOf(egvToReadingInput(parsedEgvRecord({ value: null, status: 'high' }))), new Date());
      expect(GlucoseReadingSchema.parse(reading)).toEqual(reading);
    });
  });

  describe('.egvsToReadingInputs', () => {
    it('when some records cannot be readings, maps the others in order and lists the skipped by record id', () => {
      const records = [
        parsedEgvRecord({ recordId: 'a', systemTime: '2026-04-30T15:00:00' }),
        parsedEgvRecord({ recordId: 'b', value: null, status: 'unknown' }),
        parsedEgvRecord({ recordId: 'c', systemTime: '2026-04-30T15:05:00' }),
      ];
      const { inputs, skipped } = egvsToReadingInputs(records);
      expect(inputs.map((input) => input.dexcom?.record_id)).toEqual(['a', 'c']);
      expect(skipped).toEqual([{ record_id: 'b', reason: 'no glucose value (status unknown)' }]);
    });
  });
});
