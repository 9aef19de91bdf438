import { DYNAMODB_CORE_TOKENS, VitalsError, type Item, type Logger } from '@vitals/dynamodb-core';
import {
  HealthEntryInputSchema,
  HealthEntrySchema,
  deriveHealthEntry,
  diffHealthEntryItems,
  healthEntriesOnDate,
  healthEntryEntity,
  healthEntryFromItem,
  healthEntryItemKeys,
  healthEntryItems,
  healthEntryKey,
  isHealthTime,
  isMedicationIndexItem,
  isMedicationName,
  MEDICATION_INDEX_PREFIX,
  medicationMatchName,
  medicationIndexItemKey,
  parseHealthEntryTableItem,
  toHealthEntry,
  type HealthEntry,
  type HealthEntryInput,
  type HealthEntryItemKey,
  type HealthEntryTableItem,
  type MedicationIndexItem,
  type SortCondition,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { validInput, validKey } from '../base/validate.ts';
import { invalidInput } from '../errors/repository-errors.ts';
import type { EntityStore } from '../store/entity-store.ts';
import type { Page, PageRequest, StoreQuery, StoreWrite } from '../store/store-types.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { dateRangeOf, eachDate, validDate, validDateRange, type HealthDateRange } from './health-dates.ts';
import type { HealthDay, HealthEntryDateRange, HealthEntryTimeRange, HealthEntryWrite, HealthEntryWriteOptions } from './health-entry.types.ts';
import { unchangedCondition } from './unchanged-condition.ts';

const ENTITY = healthEntryEntity.name;
type HealthIndex = 'medication-index' | 'pain-level-index';

/** DynamoDB's limit of actions in one TransactWriteItems call. */
const TRANSACTION_LIMIT = 100;

/** Dates read (or stale index items deleted) at once by `saveMany`: a bulk load must not flood the table. */
const BULK_REQUESTS_AT_ONCE = 8;

/** Every attribute an entry item may carry: what "unchanged" compares. */
const ENTRY_ATTRIBUTES = Object.keys(HealthEntrySchema.shape);

/** Any item of the health-log table read back as it is stored, parsed with the schema its marker calls for (precise issues). */
const StoredTableItemSchema: z.ZodType<HealthEntryTableItem> = z.unknown().transform((raw, ctx) => {
  const result = parseHealthEntryTableItem(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** Any item of the table as the entry it stands for: a medication index item becomes its entry (`healthEntryFromItem`). */
const StoredHealthEntrySchema: z.ZodType<HealthEntry> = StoredTableItemSchema.transform(healthEntryFromItem);

/** What is stored under an entry's key right now. */
interface StoredState {
  /** The raw entry item; `undefined` when there is none. */
  raw: Item | undefined;
  /** The parsed entry; `undefined` when there is none or it is invalid. */
  entry: HealthEntry | undefined;
}

/**
 * The health log (its table): one entry per date + `HHMM`,
 * stored as the entry item plus one medication index item per additional
 * medication, so that `medication-index` finds an entry under every
 * medication it lists. Every write replaces all of an entry's items in one
 * transaction, conditioned on the entry being unchanged since it was read.
 */
@injectable()
export class HealthEntryRepository {
  /** The table's items as the entries they stand for. */
  private readonly store: EntityStore<HealthEntry, HealthIndex>;
  /** The same table read item by item, index items as they are: for whole-day reads. */
  private readonly items: EntityStore<HealthEntryTableItem, HealthIndex>;
  private readonly log: Logger;

  constructor(@inject(EntityStores) stores: EntityStores, @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger) {
    const component = 'HealthEntryRepository';
    this.log = logger.child({ component });
    this.store = stores.for(healthEntryEntity, { component, schema: StoredHealthEntrySchema });
    this.items = stores.for(healthEntryEntity, { component, schema: StoredTableItemSchema });
  }

  /**
   * Validates `input` (every unparseable value is an issue at its path),
   * derives `medication_taken` (the first listed), `max_pain_level` and the
   * parsed vitals, and stores the entry at `date`/`time` with its medication
   * index items, removing index items of medications it no longer lists —
   * all in one transaction. Resolves with the stored entry.
   */
  async save(date: string, time: string, input: unknown, options: HealthEntryWriteOptions = {}): Promise<HealthEntry> {
    const key = validKey(ENTITY, () => healthEntryKey(date, time));
    const next = toHealthEntry(date, time, this.validEntryInput(date, time, input));
    const current = await this.currentState(key, options);

    const diff =
      current.raw !== undefined && current.entry === undefined
        ? this.replacingInvalid(current.raw, next, key)
        : diffHealthEntryItems(current.entry, next);
    const [entry, ...indexItems] = diff.put as [HealthEntry, ...Item[]];
    const actions: StoreWrite[] = [
      { put: { item: entry, condition: unchangedCondition(current.raw, 'date', ENTRY_ATTRIBUTES) } },
      ...indexItems.map((item): StoreWrite => ({ put: { item } })),
      ...diff.delete.map((stale): StoreWrite => ({ delete: { key: { ...stale } } })),
    ];
    if (actions.length > TRANSACTION_LIMIT) {
      throw invalidInput(ENTITY, [
        {
          path: 'medications',
          message:
            `this change writes ${actions.length} items (one per medication, old and new), ` +
            `more than the ${TRANSACTION_LIMIT} one transaction allows`,
        },
      ]);
    }
    await this.store.transact(actions, key);
    return entry;
  }

  /**
   * Bulk load (the migrator's imports): validates every write first — every
   * problem in one `repository.invalidInput`, paths prefixed with the
   * write's index (`[3].pain.back`), nothing stored — then puts each entry
   * and its medication index items through the batch path (several requests
   * in flight, unprocessed items retried) and deletes the index items of
   * medications a rewritten entry no longer lists, found by querying each
   * date's index items (8 dates at a time). Unlike {@link save} it is neither transactional nor conditioned:
   * the last writer wins, and a reader may briefly see an entry before its
   * index items. Running the same call again converges on the same items,
   * so an interrupted load is finished by running it again. A repeated
   * date + time keeps the last. Resolves with the stored entries.
   */
  async saveMany(writes: readonly HealthEntryWrite[]): Promise<HealthEntry[]> {
    const byKey = new Map<string, HealthEntry>();
    const issues: { path: string; message: string }[] = [];
    writes.forEach((write, index) => {
      try {
        validKey(ENTITY, () => healthEntryKey(write.date, write.time));
        byKey.set(`${write.date}/${write.time}`, toHealthEntry(write.date, write.time, this.validEntryInput(write.date, write.time, write.input)));
      } catch (error) {
        if (!VitalsError.is(error, 'repository.invalidInput')) throw error;
        issues.push(...error.details.issues.map((issue) => ({ path: `[${index}].${issue.path}`, message: issue.message })));
      }
    });
    if (issues.length > 0) throw invalidInput(ENTITY, issues);

    const entries = [...byKey.values()];
    const puts = entries.flatMap((entry) => {
      const items = healthEntryItems(entry);
      return [items.entry, ...items.medication_index_items];
    });
    const written = new Set(puts.map((item) => `${item.date}/${item.timestamp}`));
    const stale: HealthEntryItemKey[] = [];
    const dates = [...new Set(entries.map((entry) => entry.date))];
    for (let start = 0; start < dates.length; start += BULK_REQUESTS_AT_ONCE) {
      const found = await Promise.all(dates.slice(start, start + BULK_REQUESTS_AT_ONCE).map((date) => this.indexItemsOn(date)));
      for (const item of found.flat()) {
        const key = `${item.date}/${item.timestamp}`;
        if (byKey.has(`${item.date}/${item.entry_timestamp}`) && !written.has(key)) stale.push({ date: item.date, timestamp: item.timestamp });
      }
    }
    await this.items.putMany(puts);
    await this.items.deleteMany(stale.map((key) => ({ ...key })), BULK_REQUESTS_AT_ONCE);
    return entries;
  }

  /**
   * Everything stored on `date` (one strongly consistent Query of its
   * partition): its entries in time order and their medication index items,
   * as they are stored. What the migrator's `verify` compares a file with.
   */
  async readDay(date: string): Promise<HealthDay> {
    const day: HealthDay = { date, entries: [], medication_index_items: [], skipped: [] };
    for await (const { items, skipped } of this.items.queryParsedPages({ partition: date, consistentRead: true })) {
      for (const item of items) {
        if (isMedicationIndexItem(item)) day.medication_index_items.push(item);
        else day.entries.push(item);
      }
      day.skipped.push(...skipped);
    }
    this.items.reportSkipped(day.skipped);
    return day;
  }

  /** The medication index items stored on `date` (one strongly consistent Query of the `med#` sort keys). */
  private async indexItemsOn(date: string): Promise<MedicationIndexItem[]> {
    const items: MedicationIndexItem[] = [];
    const query = { partition: date, sort: { beginsWith: MEDICATION_INDEX_PREFIX }, consistentRead: true };
    for await (const item of this.items.queryAll(query)) if (isMedicationIndexItem(item)) items.push(item);
    return items;
  }

  /** Writes medication index items as given (the batch path, last writer wins): restores those stored entries lack (`entries reindex`). */
  async putIndexItems(items: readonly MedicationIndexItem[]): Promise<void> {
    await this.items.putMany(items);
  }

  async get(date: string, time: string): Promise<HealthEntry | undefined> {
    return this.store.get(validKey(ENTITY, () => healthEntryKey(date, time)));
  }

  /**
   * Deletes an entry and its medication index items in one transaction;
   * resolves with the entry, or undefined when there was none (or it was
   * invalid, in which case it is deleted all the same).
   */
  async delete(date: string, time: string, options: HealthEntryWriteOptions = {}): Promise<HealthEntry | undefined> {
    const key = validKey(ENTITY, () => healthEntryKey(date, time));
    const current = await this.currentState(key, options);
    if (current.raw === undefined) return undefined;
    const indexKeys =
      current.entry === undefined ? this.indexKeysOfRaw(current.raw, new Set()) : healthEntryItemKeys(current.entry).slice(1);
    await this.store.transact(
      [
        { delete: { key, condition: unchangedCondition(current.raw, 'date', ENTRY_ATTRIBUTES) } },
        ...indexKeys.map((indexKey): StoreWrite => ({ delete: { key: { ...indexKey } } })),
      ],
      key,
    );
    return current.entry;
  }

  /** Reference query 1 and 2: one page of a day's entries, optionally between two `HHMM` times. */
  async listByDate(date: string, range: HealthEntryTimeRange = {}, page: PageRequest = {}): Promise<Page<HealthEntry>> {
    return this.store.queryPage(this.dateQuery(date, range), page);
  }

  /**
   * Reference query 3: one page of every entry that lists `medication` in
   * any case — as its primary (first-listed) medication or any other —
   * optionally between two dates. One `medication-index` Query, each entry
   * exactly once.
   */
  async listByMedication(medication: string, range: HealthEntryDateRange = {}, page: PageRequest = {}): Promise<Page<HealthEntry>> {
    // Case-insensitive: every entry is indexed under the lower-case form of each name (see healthEntryItems).
    const query = { index: 'medication-index', partition: medicationMatchName(medication), sort: this.dateCondition(range) } as const;
    return this.store.queryPage({ ...query, descending: range.order === 'desc' }, page);
  }

  /** Reference query 4: one page of the entries whose highest pain level is `level` (0..10), optionally between two dates. */
  async listByPainLevel(level: number, range: HealthEntryDateRange = {}, page: PageRequest = {}): Promise<Page<HealthEntry>> {
    const query = { index: 'pain-level-index', partition: level, sort: this.dateCondition(range) } as const;
    return this.store.queryPage({ ...query, descending: range.order === 'desc' }, page);
  }

  /**
   * Every entry from `from` to `to` (inclusive), date by date and by time
   * within a date: one Query per date, never a Scan. Invalid stored entries
   * are skipped and reported (strict mode: thrown). `consistentRead` makes
   * writes that just completed visible (summaries rebuilt after a save).
   */
  async *iterateDates(from: string, to: string, options: { consistentRead?: boolean } = {}): AsyncGenerator<HealthEntry> {
    const range = validDateRange(ENTITY, from, to);
    for (const date of eachDate(range)) {
      yield* this.store.queryAll({ where: healthEntriesOnDate(date), consistentRead: options.consistentRead });
    }
  }

  /**
   * The first and last date the table holds anything for, or undefined when
   * it is empty: a full Scan (projecting `date` saves transfer, not read
   * capacity), for operators' tools, never a request path.
   */
  async storedDateRange(): Promise<HealthDateRange | undefined> {
    return dateRangeOf(this.items.scanAttributes(['date']));
  }

  private dateQuery(date: string, range: HealthEntryTimeRange): StoreQuery<HealthIndex> {
    const issues = (['from', 'to'] as const)
      .filter((end) => range[end] !== undefined && !isHealthTime(range[end]))
      .map((end) => ({ path: end, message: `must be an HHMM time 0000..2359, got ${JSON.stringify(range[end])}` }));
    if (issues.length > 0) throw invalidInput(ENTITY, issues);
    if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
      throw invalidInput(ENTITY, [{ path: 'to', message: `must not be before from (${range.from})` }]);
    }
    const where = validKey(ENTITY, () => healthEntriesOnDate(date, { from: range.from, to: range.to }));
    return { where, descending: range.order === 'desc' };
  }

  private dateCondition(range: HealthEntryDateRange): SortCondition<string> | undefined {
    const { from, to } = range;
    if (from !== undefined && to !== undefined) {
      validDateRange(ENTITY, from, to);
      return { between: [from, to] };
    }
    if (from !== undefined) return { gte: validDate(ENTITY, 'from', from) };
    if (to !== undefined) return { lte: validDate(ENTITY, 'to', to) };
    return undefined;
  }

  /**
   * Validates a client's entry. Zod skips the notation checks once the
   * shape itself is wrong, so the raw values are also run through
   * `deriveHealthEntry`: the caller learns every problem in one answer.
   */
  private validEntryInput(date: string, time: string, input: unknown): HealthEntryInput {
    try {
      return validInput(HealthEntryInputSchema, input, ENTITY);
    } catch (error) {
      if (!VitalsError.is(error, 'repository.invalidInput') || typeof input !== 'object' || input === null) throw error;
      const issues = [...error.details.issues];
      const reported = new Set(issues.map((issue) => issue.path));
      const raw = input as Record<string, unknown>;
      const strings = (value: unknown) =>
        typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
          : {};
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      const derived = deriveHealthEntry(
        { medications: {}, pain: strings(raw['pain']), bpr: text(raw['bpr']), sleep: text(raw['sleep']), o2: text(raw['o2']) },
        `${date}/${time}`,
      );
      for (const problem of derived.ok ? [] : derived.errors) {
        const path = problem.field ?? '(input)';
        if (!reported.has(path)) issues.push({ path, message: problem.message });
      }
      throw invalidInput(ENTITY, issues, error.cause);
    }
  }

  /** The caller's `expected` entry, or the stored one read now (strongly consistent). */
  private async currentState(key: HealthEntryItemKey, options: HealthEntryWriteOptions): Promise<StoredState> {
    if (options.expected === null) return { raw: undefined, entry: undefined };
    if (options.expected !== undefined) {
      const expected = validInput(HealthEntrySchema, options.expected, ENTITY, 'expected');
      if (expected.date !== key.date || expected.timestamp !== key.timestamp) {
        throw invalidInput(ENTITY, [
          { path: 'expected', message: `is the entry ${expected.date}/${expected.timestamp}, not ${key.date}/${key.timestamp}` },
        ]);
      }
      return { raw: healthEntryItems(expected).entry, entry: expected };
    }
    const raw = await this.store.getRaw({ ...key }, { consistentRead: true });
    if (raw === undefined) return { raw, entry: undefined };
    const parsed = HealthEntrySchema.safeParse(raw);
    return { raw, entry: parsed.success ? parsed.data : undefined };
  }

  /**
   * The writes replacing an entry item that fails its schema (written behind
   * the repository's back): `next`'s items, and the index items the invalid
   * entry may have, found from the valid medication names it lists.
   */
  private replacingInvalid(raw: Item, next: HealthEntry, key: HealthEntryItemKey): { put: Item[]; delete: HealthEntryItemKey[] } {
    this.log.warn({ entity: ENTITY, key }, 'replacing an invalid stored entry');
    const { entry, medication_index_items } = healthEntryItems(next);
    const put = [entry, ...medication_index_items];
    return { put, delete: this.indexKeysOfRaw(raw, new Set(put.map((item) => item.timestamp))) };
  }

  /** Index-item keys of an entry item that failed its schema: one per valid medication name it lists, except `kept`. */
  private indexKeysOfRaw(raw: Item, kept: ReadonlySet<string>): HealthEntryItemKey[] {
    const medications = raw['medications'];
    if (typeof medications !== 'object' || medications === null) return [];
    const { date, timestamp } = raw as { date: string; timestamp: string };
    const names = Object.keys(medications).flatMap((name) => [name, medicationMatchName(name)]);
    return [...new Set(names)]
      .filter(isMedicationName)
      .map((name) => medicationIndexItemKey(date, name, timestamp))
      .filter((indexKey) => !kept.has(indexKey.timestamp));
  }
}
