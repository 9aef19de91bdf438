import type { Item, Key, Logger } from '@vitals/dynamodb-core';
import type { z } from 'zod';
import { invalidItem, schemaIssues } from '../errors/repository-errors.ts';

/** A stored item that failed its schema and was left out of a result. */
export interface SkippedItem {
  key: Key;
  issues: string[];
}

/** Items that passed the schema, and the ones left out with their issues. */
export interface ParsedItems<T> {
  items: T[];
  skipped: SkippedItem[];
}

/**
 * How one entity's stored items are read back: each parsed with its schema;
 * an invalid one is left out and reported (a warn log naming entity, table
 * and keys), or — in strict mode — `repository.invalidItem`.
 */
export class StoredItems<T> {
  constructor(
    private readonly entity: string,
    private readonly table: string,
    private readonly schema: z.ZodType<T>,
    private readonly keyOf: (raw: Item) => Key,
    private readonly strict: boolean,
    private readonly log: Logger,
  ) {}

  /** Parses without logging; pass what it skipped to {@link report}. Strict mode throws at the first invalid item. */
  parse(raws: readonly Item[]): ParsedItems<T> {
    const parsed: ParsedItems<T> = { items: [], skipped: [] };
    for (const raw of raws) {
      const result = this.schema.safeParse(raw);
      if (result.success) {
        parsed.items.push(result.data);
        continue;
      }
      const key = this.keyOf(raw);
      const issues = schemaIssues(result.error.issues);
      if (this.strict) throw invalidItem(this.entity, key, issues, { table: this.table });
      parsed.skipped.push({ key, issues });
    }
    return parsed;
  }

  /** The warn log for skipped items: entity, table, count and keys. */
  report(skipped: readonly SkippedItem[]): void {
    if (skipped.length === 0) return;
    this.log.warn(
      { entity: this.entity, table: this.table, count: skipped.length, keys: skipped.map((item) => item.key) },
      'invalid stored items skipped',
    );
  }

  /** Parses and reports: the valid items. */
  parseAndReport(raws: readonly Item[]): T[] {
    const { items, skipped } = this.parse(raws);
    this.report(skipped);
    return items;
  }
}
