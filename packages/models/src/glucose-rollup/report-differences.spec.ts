import { glucoseReportDifferences } from './report-differences.ts';

describe(glucoseReportDifferences.name, () => {
  it('numbers within a relative 1e-9 are equal; beyond, and any other difference, are named by path', () => {
    expect(glucoseReportDifferences({ mean: 150 * (1 + 1e-12), hourly: [{ p5: null }] }, { mean: 150, hourly: [{ p5: null }] })).toEqual([]);
    expect(glucoseReportDifferences({ mean: 150.001, hourly: [{ p5: 3 }] }, { mean: 150, hourly: [{ p5: null }] })).toEqual([
      '$.mean: 150.001 ≠ 150',
      '$.hourly.0.p5: 3 ≠ null',
    ]);
    expect(glucoseReportDifferences({ time_zone: 'UTC' }, { time_zone: 'Europe/Berlin', count: 1 })).toEqual([
      '$.time_zone: "UTC" ≠ "Europe/Berlin"',
      '$.count: undefined ≠ 1',
    ]);
  });
});
