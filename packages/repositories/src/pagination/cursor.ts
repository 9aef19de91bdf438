import { VitalsError, type Key } from '@vitals/dynamodb-core';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What makes two queries the same query: a cursor is only valid for the query it came from. */
export interface QueryScope {
  table: string;
  index?: string;
  keyCondition: string;
  values: Record<string, unknown>;
  filter?: string;
  descending: boolean;
}

const VERSION = 1;

function scopeHash(scope: QueryScope): string {
  const canonical = JSON.stringify([
    scope.table,
    scope.index ?? null,
    scope.keyCondition,
    Object.entries(scope.values).sort(([a], [b]) => (a < b ? -1 : 1)),
    scope.filter ?? null,
    scope.descending,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

function invalid(reason: 'malformed' | 'tampered' | 'foreign'): VitalsError<'repository.invalidCursor'> {
  const why = {
    malformed: 'is not a cursor this API issued',
    tampered: 'has been altered',
    foreign: 'belongs to a different query',
  }[reason];
  return new VitalsError('repository.invalidCursor', `The pagination cursor ${why}`, { reason });
}

/** An opaque, signed cursor (base64url) for resuming `scope` after `lastEvaluatedKey`. */
export function encodeCursor(scope: QueryScope, lastEvaluatedKey: Key, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ v: VERSION, q: scopeHash(scope), k: lastEvaluatedKey })).toString(
    'base64url',
  );
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

/**
 * The key to resume `scope` from. A cursor that does not parse, whose
 * signature does not match, or that was issued for another query is a
 * `repository.invalidCursor` error — never a different page.
 */
export function decodeCursor(cursor: string, scope: QueryScope, secret: string): Key {
  const parts = cursor.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0] ?? '') || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '')) {
    throw invalid('malformed');
  }
  const [payload, signature] = parts as [string, string];
  const expected = sign(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('tampered');

  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed');
  }
  const { v, q, k } = (body ?? {}) as { v?: unknown; q?: unknown; k?: unknown };
  if (v !== VERSION || typeof q !== 'string' || typeof k !== 'object' || k === null || Array.isArray(k)) {
    throw invalid('malformed');
  }
  if (q !== scopeHash(scope)) throw invalid('foreign');
  return k as Key;
}
