import { DEXCOM_TRANSMITTER_GENERATIONS, DEXCOM_TREND_NAMES } from '@vitals/models';
import { DataRangeResponseSchema, DexcomTokenResponseSchema, EgvRecordSchema, EgvsEnvelopeSchema } from './dexcom-responses.schema.ts';
import { dataRangeBody, egvRecord, egvsBody, tokenBody } from './test-support/dexcom-fixtures.ts';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('dexcom-responses.schema', () => {
  describe('.DexcomTokenResponseSchema', () => {
    it("when the answer is Dexcom's documented token answer with its extra fields, accepts it and passes the extras over", () => {
      expect(DexcomTokenResponseSchema.parse(tokenBody())).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: 7200,
        token_type: 'Bearer',
      });
    });

    it.each([
      ['no refresh token', { refresh_token: undefined }, 'refresh_token'],
      ['an empty access token', { access_token: '' }, 'access_token'],
      ['expires_in in words', { expires_in: '7200' }, 'expires_in'],
      ['a token type other than Bearer', { token_type: 'mac' }, 'token_type'],
    ])('when it has %s, rejects it at that field', (_name, change, path) => {
      expect(pathsOf(DexcomTokenResponseSchema.safeParse({ ...tokenBody(), ...change }))).toEqual([path]);
    });
  });

  describe('.EgvRecordSchema', () => {
    it('when the record is the documented shape, accepts it', () => {
      expect(EgvRecordSchema.parse(egvRecord())).toEqual(egvRecord());
    });

    it('when value, status, trend, trendRate and transmitterId are null (as documented they may be), accepts it', () => {
      const record = egvRecord({ value: null, status: null, trend: null, trendRate: null, transmitterId: null });
      expect(EgvRecordSchema.safeParse(record).success).toBe(true);
    });

    it.each([...DEXCOM_TREND_NAMES])('when trend is %s, accepts it', (trend) => {
      expect(EgvRecordSchema.safeParse(egvRecord({ trend })).success).toBe(true);
    });

    it.each([...DEXCOM_TRANSMITTER_GENERATIONS])('when transmitterGeneration is %s, accepts it', (transmitterGeneration) => {
      expect(EgvRecordSchema.safeParse(egvRecord({ transmitterGeneration })).success).toBe(true);
    });

    it.each([
      ['a documented field missing (value)', { value: undefined }, 'value'],
      ['a required field null (recordId)', { recordId: null }, 'recordId'],
      ['a fractional value', { value: 138.5 }, 'value'],
      ['a status Dexcom does not name', { status: 'LOW' }, 'status'],
      ['a Nightscout trend name', { trend: 'DoubleUp' }, 'trend'],
      ['a systemTime that is not a date-time', { systemTime: '30/04/2026 15:00' }, 'systemTime'],
      ['a unit Dexcom does not name', { unit: 'mg/dl' }, 'unit'],
      ['a generation Dexcom does not name', { transmitterGeneration: 'g8' }, 'transmitterGeneration'],
    ])('when it has %s, rejects it at that field', (_name, change, path) => {
      expect(pathsOf(EgvRecordSchema.safeParse(egvRecord(change)))).toEqual([path]);
    });

    it('when Dexcom adds a field, passes it over', () => {
      expect(EgvRecordSchema.parse(egvRecord({ smoothedValue: 140 } as object))).not.toHaveProperty('smoothedValue');
    });
  });

  describe('.EgvsEnvelopeSchema', () => {
    it('when records hold anything, accepts the envelope: records are parsed one by one elsewhere', () => {
      expect(EgvsEnvelopeSchema.safeParse(egvsBody([egvRecord(), null, 'x'])).success).toBe(true);
    });

    it('when records is not an array, rejects it', () => {
      expect(pathsOf(EgvsEnvelopeSchema.safeParse({ ...egvsBody([]), records: {} }))).toEqual(['records']);
    });
  });

  describe('.DataRangeResponseSchema', () => {
    it('when the answer is the documented shape, accepts it', () => {
      const body = dataRangeBody('2021-06-01T01:10:08', '2021-06-30T01:10:08-07:00');
      expect(DataRangeResponseSchema.parse(body)).toEqual(body);
    });

    it('when a kind of record has no window (null or absent), it is null', () => {
      const { calibrations: _calibrations, ...rest } = dataRangeBody('2021-06-01T01:10:08', '2021-06-30T01:10:08');
      expect(DataRangeResponseSchema.parse({ ...rest, events: null })).toMatchObject({ calibrations: null, events: null });
    });

    it('when a moment lacks its systemTime, rejects it there', () => {
      const body = dataRangeBody('2021-06-01T01:10:08', '2021-06-30T01:10:08');
      const broken = { ...body, egvs: { ...body.egvs, end: { displayTime: '2021-06-30T01:10:08' } } };
      expect(pathsOf(DataRangeResponseSchema.safeParse(broken))).toEqual(['egvs.end.systemTime']);
    });
  });
});
