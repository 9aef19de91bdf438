import { dayCount, eachDate, validDate, validDateRange } from './health-dates.ts';

const invalidAt = (...paths: string[]) =>
  expect.objectContaining({
    code: 'repository.invalidInput',
    details: expect.objectContaining({ issues: paths.map((path) => expect.objectContaining({ path })) }),
  });

describe('health dates', () => {
  describe('eachDate', () => {
    it('when the range crosses a leap day and a year end: every calendar day once, in order', () => {
      expect([...eachDate({ from: '2024-02-28', to: '2024-03-01' })]).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
      expect([...eachDate({ from: '2024-12-31', to: '2025-01-01' })]).toEqual(['2024-12-31', '2025-01-01']);
      expect([...eachDate({ from: '2025-05-23', to: '2025-05-23' })]).toEqual(['2025-05-23']);
    });
  });

  describe('dayCount', () => {
    it('when counting: both ends are included', () => {
      expect(dayCount({ from: '2024-01-01', to: '2024-12-31' })).toBe(366);
      expect(dayCount({ from: '2025-01-01', to: '2025-12-31' })).toBe(365);
    });
  });

  describe('validDateRange', () => {
    it('when a range exceeds maxDays: invalidInput on to', () => {
      expect(() => validDateRange('X', '2025-01-01', '2026-01-01', 365)).toThrow(invalidAt('to'));
      expect(validDateRange('X', '2025-01-01', '2025-12-31', 365)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    });

    it('when both ends are bad: one issue per end', () => {
      expect(() => validDateRange('X', '2025-02-29', 7)).toThrow(invalidAt('from', 'to'));
      expect(() => validDate('X', 'from', '2025-5-1')).toThrow(invalidAt('from'));
    });
  });
});
