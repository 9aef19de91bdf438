import type { EgvRecord } from './egv-records.ts';
import { uuidFrom } from './seeded-random.ts';

/**
 * Records a client must refuse, one way each: copies of a real record of the
 * answer with one thing broken and an id of their own, so every real record
 * is still there next to them.
 */
export const MALFORMED_KINDS = [
  'missing systemTime',
  'unparsable systemTime',
  'value is a string',
  'unknown trend',
  'unknown status',
  'missing recordId',
  'not an object',
] as const;

export type MalformedKind = (typeof MALFORMED_KINDS)[number];

export function malformedRecord(kind: MalformedKind, base: EgvRecord, serial: number): unknown {
  const copy: Record<string, unknown> = { ...base, recordId: uuidFrom('malformed', base.recordId, serial) };
  switch (kind) {
    case 'missing systemTime':
      delete copy['systemTime'];
      return copy;
    case 'unparsable systemTime':
      return { ...copy, systemTime: 'yesterday, about noon' };
    case 'value is a string':
      return { ...copy, value: String(base.value ?? 120), status: 'ok' };
    case 'unknown trend':
      return { ...copy, trend: 'sideways' };
    case 'unknown status':
      return { ...copy, status: 'fine' };
    case 'missing recordId':
      delete copy['recordId'];
      return copy;
    case 'not an object':
      return `${base.systemTime} ${base.value ?? ''}`;
  }
}

/**
 * The records with `count` malformed ones spread among them (cycling through
 * the kinds from `serial`). An empty answer stays empty: there is nothing to
 * copy.
 */
export function withMalformedRecords(records: EgvRecord[], count: number, serial: number): unknown[] {
  if (records.length === 0 || count <= 0) return records;
  const mixed: unknown[] = [...records];
  for (let i = 0; i < count; i++) {
    const kind = MALFORMED_KINDS[(serial + i) % MALFORMED_KINDS.length] as MalformedKind;
    const at = Math.floor(((i + 0.5) * records.length) / count);
    const base = records[Math.min(at, records.length - 1)] as EgvRecord;
    mixed.splice(at + i, 0, malformedRecord(kind, base, serial + i));
  }
  return mixed;
}
