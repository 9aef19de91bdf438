import type { z } from 'zod';
import { EgvRecordSchema, type EgvRecord } from './dexcom-responses.schema.ts';

/** A record of an `egvs` answer that did not parse: where it was, its id if it had one, and why. */
export interface InvalidEgvRecord {
  /** Position in the answer's `records`. */
  index: number;
  /** The record's `recordId`, when it had a usable one. */
  record_id?: string;
  /** `path: message` per problem, e.g. `value: Invalid input: expected int, received number`. */
  issues: string[];
}

export interface ParsedEgvRecords {
  records: EgvRecord[];
  invalid: InvalidEgvRecord[];
}

const MAX_ISSUES = 10;

/** `path: message` of each issue (at most ten); zod's messages name types and rules, never the value. */
export function issueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`… and ${issues.length - MAX_ISSUES} more`);
  return lines;
}

function recordIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { recordId?: unknown }).recordId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/**
 * Parses each record on its own: the valid ones in order, and for each that
 * does not parse its index, `recordId` (if any) and issues. Never throws on
 * bad records: one of them costs that record, never the answer.
 */
export function parseEgvRecords(values: readonly unknown[]): ParsedEgvRecords {
  const records: EgvRecord[] = [];
  const invalid: InvalidEgvRecord[] = [];
  values.forEach((value, index) => {
    const parsed = EgvRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    const record_id = recordIdOf(value);
    invalid.push({ index, ...(record_id === undefined ? {} : { record_id }), issues: issueLines(parsed.error.issues) });
  });
  return { records, invalid };
}
