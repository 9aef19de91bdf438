import {
  EpochSecondsSchema,
  HealthDateSchema,
  HealthTimeSchema,
  IsoInstantSchema,
  ProviderSchema,
  UserIdSchema,
  VersionSchema,
} from './formats.schema.ts';

describe('formats.schema', () => {
  describe('.IsoInstantSchema', () => {
    it.each(['2025-05-23T13:00:00.000Z', '2024-02-29T23:59:59.999Z', '1970-01-01T00:00:00.000Z'])(
      'when %s is a fixed-width UTC instant, accepts it',
      (value) => {
        expect(IsoInstantSchema.parse(value)).toBe(value);
      },
    );

    it.each([
      ['without milliseconds', '2025-05-23T13:00:00Z'],
      ['with an offset', '2025-05-23T13:00:00.000+02:00'],
      ['with microseconds', '2025-05-23T13:00:00.000000Z'],
      ['lower-case z', '2025-05-23T13:00:00.000z'],
      ['a date only', '2025-05-23'],
      ['February 30th', '2025-02-30T00:00:00.000Z'],
      ['February 29th of a common year', '2025-02-29T00:00:00.000Z'],
      ['hour 24', '2025-05-23T24:00:00.000Z'],
      ['minute 60', '2025-05-23T13:60:00.000Z'],
      ['surrounding space', ' 2025-05-23T13:00:00.000Z'],
    ])('when the instant is %s, rejects it', (_label, value) => {
      expect(IsoInstantSchema.safeParse(value).success).toBe(false);
    });

    it('when given a Date object rather than a string, rejects it', () => {
      expect(IsoInstantSchema.safeParse(new Date()).success).toBe(false);
    });
  });

  describe('.HealthDateSchema', () => {
    it.each(['2025-05-23', '2024-02-29', '2025-12-31', '2025-01-01'])('when %s is a real day, accepts it', (value) => {
      expect(HealthDateSchema.parse(value)).toBe(value);
    });

    it.each(['0523', '2025-5-23', '2025-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-05-23T00'])(
      'when %s is not a calendar date, rejects it',
      (value) => {
        expect(HealthDateSchema.safeParse(value).success).toBe(false);
      },
    );
  });

  describe('.HealthTimeSchema', () => {
    it.each(['0000', '0959', '1300', '2359'])('when %s is a time of day, accepts it', (value) => {
      expect(HealthTimeSchema.parse(value)).toBe(value);
    });

    it.each(['2400', '1260', '930', '13:00', '09590', 'ab12'])('when %s is not HHMM, rejects it', (value) => {
      expect(HealthTimeSchema.safeParse(value).success).toBe(false);
    });
  });

  describe('.EpochSecondsSchema', () => {
    it('when an integer number of seconds, accepts it', () => {
      expect(EpochSecondsSchema.parse(1_748_000_000)).toBe(1_748_000_000);
    });

    it.each([[1.5], [-1], ['1748000000']])('when %p, rejects it', (value) => {
      expect(EpochSecondsSchema.safeParse(value).success).toBe(false);
    });
  });

  describe('.UserIdSchema / .ProviderSchema / .VersionSchema', () => {
    it('when values are well formed, accepts them', () => {
      expect(UserIdSchema.parse('u-1')).toBe('u-1');
      expect(ProviderSchema.parse('dexcom')).toBe('dexcom');
      expect(VersionSchema.parse(1)).toBe(1);
    });

    it('when values are empty, upper-case or zero, rejects them', () => {
      expect(UserIdSchema.safeParse('').success).toBe(false);
      expect(UserIdSchema.safeParse('x'.repeat(257)).success).toBe(false);
      expect(ProviderSchema.safeParse('Dexcom').success).toBe(false);
      expect(ProviderSchema.safeParse('dex com').success).toBe(false);
      expect(VersionSchema.safeParse(0).success).toBe(false);
    });
  });
});
