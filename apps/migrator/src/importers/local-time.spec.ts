import { localTimeConverter } from './local-time.ts';

describe(localTimeConverter.name, () => {
  it('reads a wall-clock time in UTC as itself, with a space or a T', () => {
    const toUtc = localTimeConverter('UTC');
    expect(toUtc('2025-01-01T00:00:00')).toBe('2025-01-01T00:00:00.000Z');
    expect(toUtc('2024-02-29 23:59:59')).toBe('2024-02-29T23:59:59.000Z');
  });

  it('applies the offset in force at that local time, on both sides of a DST change', () => {
    const toUtc = localTimeConverter('America/New_York');
    expect(toUtc('2025-01-15T08:00:00')).toBe('2025-01-15T13:00:00.000Z');
    expect(toUtc('2025-07-01T08:00:00')).toBe('2025-07-01T12:00:00.000Z');
    expect(toUtc('2025-03-09T01:30:00')).toBe('2025-03-09T06:30:00.000Z');
    expect(toUtc('2025-03-09T03:30:00')).toBe('2025-03-09T07:30:00.000Z');
  });

  it('gives the hour repeated when clocks go back its two passes in row order, so neither overwrites the other', () => {
    const toUtc = localTimeConverter('America/New_York');
    const rows = ['00:55', '01:00', '01:30', '01:55', '01:00', '01:30', '01:55', '02:00'].map((time) => toUtc(`2025-11-02T${time}:00`));
    expect(rows).toEqual(['04:55', '05:00', '05:30', '05:55', '06:00', '06:30', '06:55', '07:00'].map((time) => `2025-11-02T${time}:00.000Z`));
    // Alone (no earlier row), an ambiguous time is its first instant.
    expect(localTimeConverter('America/New_York')('2025-11-02T01:30:00')).toBe('2025-11-02T05:30:00.000Z');
  });

  it('gives padded timestamps the offset of their own hour, not of a neighbour sharing a prefix', () => {
    const toUtc = localTimeConverter('America/New_York');
    expect(toUtc(' 2025-03-09T01:30:00')).toBe('2025-03-09T06:30:00.000Z');
    expect(toUtc(' 2025-03-09T03:30:00 ')).toBe('2025-03-09T07:30:00.000Z');
  });

  const impossible = [
    '2025-02-29T00:00:00',
    '2025-04-31T12:00:00',
    '2025-13-01T00:00:00',
    '2025-01-00T00:00:00',
    '2025-01-01T24:00:00',
    '2025-01-01T23:60:00',
    '2025-01-01T23:59:60',
    '2025-01-01T00:00',
    '2025-01-01T00:00:00Z',
    'not-a-time',
    '',
  ];
  it.each(impossible)('rejects %j', (local) => {
    expect(localTimeConverter('UTC')(local)).toBeUndefined();
  });
});
