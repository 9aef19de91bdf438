import { parseEgvRecords, type EgvsResult } from '@vitals/dexcom-client';
import { chunkReadings } from './chunk-readings.ts';

/** A documented v3 EGV record at `systemTime` (UTC, no offset: a receiver's). */
function record(recordId: string, systemTime: string, value: unknown = 120): Record<string, unknown> {
  return {
    recordId,
    systemTime,
    displayTime: systemTime,
    transmitterId: 'a'.repeat(64),
    transmitterTicks: 1000,
    value,
    status: 'ok',
    trend: 'flat',
    trendRate: 0.1,
    unit: 'mg/dL',
    rateUnit: 'mg/dL/min',
    displayDevice: 'receiver',
    transmitterGeneration: 'g7',
  };
}

function answer(records: unknown[]): EgvsResult {
  const { records: parsed, invalid } = parseEgvRecords(records);
  return {
    userId: 'u',
    recordType: 'egv',
    recordVersion: '3.0',
    window: { start: '2026-06-01T00:00:00.000Z', end: '2026-06-02T00:00:00.000Z' },
    records: parsed,
    invalid,
  };
}

const NOW = new Date('2026-06-02T00:00:00.000Z');
const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';

describe('chunkReadings', () => {
  it.each([
    ['first', [ID_A, ID_B]],
    ['second', [ID_B, ID_A]],
  ])('when two records share a systemTime, keeps the smallest recordId whether it comes %s, and counts the other', (_, order) => {
    const chunk = chunkReadings(
      answer([record(order[0] as string, '2026-06-01T10:00:00', 100), record(order[1] as string, '2026-06-01T10:00:00', 200)]),
      NOW,
    );
    expect(chunk.inputs).toHaveLength(1);
    expect(chunk.inputs[0]).toMatchObject({ timestamp: '2026-06-01T10:00:00.000Z', dexcom: { record_id: ID_A } });
    expect(chunk.duplicates).toEqual([{ record_id: ID_B, reason: expect.stringContaining(ID_A) }]);
  });

  it('when one instant is written with and without an offset, the two are the same instant: one reading', () => {
    const chunk = chunkReadings(answer([record(ID_B, '2026-06-01T10:00:00+00:00'), record(ID_A, '2026-06-01T10:00:00')]), NOW);
    expect(chunk.inputs.map((input) => input.dexcom?.record_id)).toEqual([ID_A]);
  });

  it('when records are malformed or are no reading, lists them by id and rule, never by value, and keeps the good ones', () => {
    const chunk = chunkReadings(
      answer([
        record(ID_A, '2026-06-01T10:00:00'),
        record(ID_B, '2026-06-01T10:05:00', '117'),
        { ...record('00000000-0000-4000-8000-00000000000c', '2026-06-01T10:10:00', null) },
      ]),
      NOW,
    );
    expect(chunk.inputs.map((input) => input.timestamp)).toEqual(['2026-06-01T10:00:00.000Z']);
    expect(chunk.malformed).toEqual([{ record_id: ID_B, reason: expect.stringMatching(/^record 1: value/) }]);
    expect(chunk.unmappable).toEqual([{ record_id: '00000000-0000-4000-8000-00000000000c', reason: 'no glucose value (status ok)' }]);
    expect(JSON.stringify([chunk.malformed, chunk.unmappable])).not.toContain('117');
  });
});
