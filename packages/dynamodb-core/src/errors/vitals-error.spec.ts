import { VitalsError } from './vitals-error.ts';

describe(VitalsError.name, () => {
  describe('constructor', () => {
    it('keeps the code, message, typed details and cause, and is an Error named VitalsError', () => {
      const cause = new Error('sdk said no');
      const error = new VitalsError('dynamodb.noTable', 'putItem: no table', { operation: 'putItem' }, { cause });
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'VitalsError', code: 'dynamodb.noTable', message: 'putItem: no table' });
      expect(error.details).toEqual({ operation: 'putItem' });
      expect(error.cause).toBe(cause);
      expect(error.stack).toContain('putItem: no table');
    });
  });

  describe('.is', () => {
    const error = new VitalsError('config.invalid', 'bad', { issues: [] });

    it('when given a VitalsError and no code, says yes', () => {
      expect(VitalsError.is(error)).toBe(true);
    });

    it('when the code matches, says yes', () => {
      expect(VitalsError.is(error, 'config.invalid')).toBe(true);
    });

    it('when the code differs, says no', () => {
      expect(VitalsError.is(error, 'dynamodb.noTable')).toBe(false);
    });

    it.each([
      ['a plain Error', new Error('bad')],
      ['a look-alike object', { name: 'VitalsError', code: 'config.invalid', details: { issues: [] } }],
      ['undefined', undefined],
    ])('when given %s, says no', (_label, value) => {
      expect(VitalsError.is(value)).toBe(false);
    });
  });
});
