import { z } from 'zod';
import { timeOrderedUuid } from './token-id.ts';

describe(timeOrderedUuid.name, () => {
  it('when made at later instants, sorts in time order, and is a version 7 RFC 9562 UUID', () => {
    const ids = ['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.001Z', '2027-01-01T00:00:00.000Z'].map((at) => timeOrderedUuid(new Date(at)));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(z.uuid().safeParse(id).success).toBe(true);
    }
    expect(ids[0]?.replace(/-/g, '').slice(0, 12)).toBe(Date.parse('2026-12-01T10:00:00.000Z').toString(16).padStart(12, '0'));
  });

  it('when made twice in one millisecond, differs', () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    expect(timeOrderedUuid(at)).not.toBe(timeOrderedUuid(at));
  });
});
