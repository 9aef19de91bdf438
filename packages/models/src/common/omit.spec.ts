import { omit } from './omit.ts';

describe('omit', () => {
  describe('.omit', () => {
    it('when given keys, returns a copy without them and leaves the input alone', () => {
      const input = { a: 1, b: 2, c: 3 };
      expect(omit(input, 'a', 'c')).toEqual({ b: 2 });
      expect(input).toEqual({ a: 1, b: 2, c: 3 });
    });
  });
});
