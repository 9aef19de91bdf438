import { BATCH_GET_LIMIT, DYNAMODB_CORE_TOKENS, VitalsError, type Item, type Logger } from '@vitals/dynamodb-core';
import {
  DailySummarySchema,
  buildDailySummary,
  dailySummaryEntity,
  type DailySummary,
  type HealthEntry,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { validInput } from '../base/validate.ts';
import { invalidInput } from '../errors/repository-errors.ts';
import { HealthEntryRepository } from '../health-entry/health-entry.repository.ts';
import { dateRangeOf, eachDate, unionOfRanges, validDateRange, type HealthDateRange } from '../health-entry/health-dates.ts';
import { unchangedCondition } from '../health-entry/unchanged-condition.ts';
import { REPOSITORY_TOKENS, type Clock } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageRequest } from '../store/store-types.ts';
import { EntityStores } from '../store/entity-stores.ts';
import type { SkippedItem } from '../store/stored-items.ts';

const ENTITY = dailySummaryEntity.name;

/** Longest range `listRange` reads: a leap year. The table has no sort key, so a range is one BatchGet key per day. */
export const MAX_SUMMARY_RANGE_DAYS = 366;

/** Days rebuilt at once by `rebuildRange`. */
const REBUILD_CONCURRENCY = 4;

/** Attempts of `rebuild` when another writer changes the summary between its read and its write. */
const REBUILD_ATTEMPTS = 3;

const SUMMARY_ATTRIBUTES = Object.keys(DailySummarySchema.shape);

/** What `save` accepts: a summary whose `updated_at` the repository sets. */
const DailySummaryInputSchema = DailySummarySchema.partial({ updated_at: true });

export interface DailySummaryWriteOptions {
  /**
   * The summary as the caller last read it (`null`: the caller expects
   * none). The write happens only if the stored summary is still exactly
   * this, else `repository.conflict`. Absent: the repository reads it itself.
   */
  expected?: DailySummary | null;
}

/** What `rebuildRange` did. */
export interface SummaryRebuildReport {
  /** Summaries written, by date. */
  saved: DailySummary[];
  /** Dates whose summary was deleted because the day no longer has entries. */
  removed: string[];
}

/**
 * One aggregate per health-log day (the summaries table, key `date`
 * only). A range is read with BatchGet over its days (at most
 * {@link MAX_SUMMARY_RANGE_DAYS}), never a Scan. Summaries are rebuilt from
 * the day's entries; a day without entries has no summary.
 */
@injectable()
export class DailySummaryRepository {
  private readonly store: EntityStore<DailySummary, never>;
  private readonly log: Logger;

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
    @inject(HealthEntryRepository) private readonly entries: HealthEntryRepository,
  ) {
    this.log = logger.child({ component: 'DailySummaryRepository' });
    this.store = stores.for(dailySummaryEntity, { component: 'DailySummaryRepository' });
  }

  /**
   * Validates and stores a summary, `updated_at` set to now; resolves with
   * what was stored. Conditional on the stored summary being unchanged since
   * it was read (see {@link DailySummaryWriteOptions}).
   */
  async save(input: unknown, options: DailySummaryWriteOptions = {}): Promise<DailySummary> {
    const summary: DailySummary = { ...validInput(DailySummaryInputSchema, input, ENTITY), updated_at: this.clock.now().toISOString() };
    const key = this.store.key({ date: summary.date });
    await this.write(summary, await this.currentState(key, options));
    return summary;
  }

  async get(date: string): Promise<DailySummary | undefined> {
    return this.store.get({ date });
  }

  /** Deletes a day's summary; resolves with it, or undefined when there was none. */
  async delete(date: string): Promise<DailySummary | undefined> {
    return this.store.delete({ date });
  }

  /**
   * One page of the summaries from `from` to `to` (inclusive, at most
   * {@link MAX_SUMMARY_RANGE_DAYS} days), sorted by date. Days without a
   * summary are simply absent. The cursor resumes after the last day read.
   */
  async listRange(from: string, to: string, page: PageRequest = {}): Promise<Page<DailySummary>> {
    const range = validDateRange(ENTITY, from, to, MAX_SUMMARY_RANGE_DAYS);
    const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
      throw invalidInput(ENTITY, [{ path: 'limit', message: `must be an integer 1..${MAX_PAGE_LIMIT}` }]);
    }
    // Bound to the same table and bounds, nothing else: a "query" over BatchGet.
    const cursors = this.store.cursors({ keyCondition: 'batch-get date BETWEEN :from AND :to', values: { ':from': range.from, ':to': range.to } });
    const after = page.cursor === undefined || page.cursor === null ? undefined : (cursors.decode(page.cursor)['date'] as string);
    const dates = [...eachDate(range)].filter((date) => after === undefined || date > after);

    const items: DailySummary[] = [];
    const skipped: SkippedItem[] = [];
    let read = 0;
    while (read < dates.length && items.length < limit) {
      const chunk = dates.slice(read, read + Math.min(BATCH_GET_LIMIT, limit));
      const parsed = this.store.parseItems(await this.store.getManyRaw(chunk.map((date) => ({ date }))));
      items.push(...parsed.items);
      skipped.push(...parsed.skipped);
      read += chunk.length;
    }
    items.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

    // Resume after the last summary returned when the page is cut short, else after the last day read.
    const cut = items.length > limit;
    const resumeAfter = cut ? (items[limit - 1] as DailySummary).date : read < dates.length ? dates[read - 1] : undefined;
    const shown = skipped.filter((item) => resumeAfter === undefined || (item.key['date'] as string) <= resumeAfter);
    this.store.reportSkipped(shown);
    return {
      items: items.slice(0, limit),
      next_cursor: resumeAfter === undefined ? null : cursors.encode({ date: resumeAfter }),
      skipped: shown,
    };
  }

  /**
   * Recomputes a day's summary from its entries (read through
   * {@link HealthEntryRepository}, strongly consistent) and stores it; a day
   * without entries has its summary deleted and resolves with undefined.
   * When another writer changes the summary meanwhile, the day is read and
   * computed again (up to 3 attempts) rather than storing a stale result.
   */
  async rebuild(date: string): Promise<DailySummary | undefined> {
    return (await this.rebuildDay(date)).summary;
  }

  /** Rebuilds every day from `from` to `to` (inclusive), a few days at a time. */
  async rebuildRange(from: string, to: string): Promise<SummaryRebuildReport> {
    const dates = [...eachDate(validDateRange(ENTITY, from, to))];
    const report: SummaryRebuildReport = { saved: [], removed: [] };
    for (let start = 0; start < dates.length; start += REBUILD_CONCURRENCY) {
      const results = await Promise.all(dates.slice(start, start + REBUILD_CONCURRENCY).map((date) => this.rebuildDay(date)));
      for (const result of results) {
        if (result.summary !== undefined) report.saved.push(result.summary);
        else if (result.removed) report.removed.push(result.date);
      }
    }
    return report;
  }

  private async rebuildDay(date: string): Promise<{ date: string; summary?: DailySummary; removed: boolean }> {
    const key = this.store.key({ date });
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await this.currentState(key, {});
        const entries: HealthEntry[] = [];
        for await (const entry of this.entries.iterateDates(date, date, { consistentRead: true })) entries.push(entry);
        if (entries.length === 0) {
          if (current === undefined) return { date, removed: false };
          await this.remove(key, current);
          return { date, removed: true };
        }
        const summary = buildDailySummary(date, entries, this.clock.now());
        await this.write(summary, current);
        return { date, summary, removed: false };
      } catch (error) {
        if (!VitalsError.is(error, 'repository.conflict') || attempt >= REBUILD_ATTEMPTS) throw error;
        this.log.info({ entity: ENTITY, key, attempt }, 'summary changed during rebuild; rebuilding again');
      }
    }
  }

  /** The caller's `expected` summary, or the stored item read now (strongly consistent). */
  private async currentState(key: SummaryKey, options: DailySummaryWriteOptions): Promise<Item | undefined> {
    if (options.expected === null) return undefined;
    if (options.expected !== undefined) {
      const expected = validInput(DailySummarySchema, options.expected, ENTITY, 'expected');
      if (expected.date !== key.date) {
        throw invalidInput(ENTITY, [{ path: 'expected', message: `is the summary of ${expected.date}, not ${key.date}` }]);
      }
      return expected;
    }
    return this.store.getRaw(key, { consistentRead: true });
  }

  /** Writes the summary if the stored one is still `previous`; else `repository.conflict`. */
  private async write(summary: DailySummary, previous: Item | undefined): Promise<void> {
    await this.store.put(summary, unchangedCondition(previous, 'date', SUMMARY_ATTRIBUTES));
  }

  /** Deletes the summary if it is still `previous`; else `repository.conflict`. */
  private async remove(key: SummaryKey, previous: Item): Promise<void> {
    await this.store.delete(key, { condition: unchangedCondition(previous, 'date', SUMMARY_ATTRIBUTES) });
  }

  /**
   * The first and last date that has entries or a summary — the range a
   * rebuild of everything covers — or undefined when both tables are empty.
   * A full Scan of both tables (projecting `date` saves transfer, not read
   * capacity, which a Scan pays for whole items): an operator's tool, not a
   * request path.
   */
  async storedDateRange(): Promise<HealthDateRange | undefined> {
    return unionOfRanges(await this.entries.storedDateRange(), await dateRangeOf(this.store.scanAttributes(['date'])));
  }
}

type SummaryKey = { date: string };
