import type { HealthEntry } from '@vitals/models';
import { inject, injectable } from 'inversify';
import { DailySummaryRepository } from '../daily-summary/daily-summary.repository.ts';
import { HealthEntryRepository } from '../health-entry/health-entry.repository.ts';
import type { HealthEntryWrite, HealthEntryWriteOptions } from '../health-entry/health-entry.types.ts';

/** Day summaries `importDays` rebuilds at once. */
const REBUILDS_AT_ONCE = 16;

/** What `importDays` stored. */
export interface HealthLogImport {
  /** The entries as stored; a date + time repeated in the writes appears once, with its last input. */
  entries: HealthEntry[];
  /** Every date the writes touched, in the order first written: each one's summary was rebuilt. */
  dates: string[];
}

/**
 * The health log as one rule: every write of entries keeps the summaries of
 * the days it touched current. Each call stores the entries with their
 * medication index items (through {@link HealthEntryRepository}), then
 * rebuilds the summary of every affected day from what the table now holds
 * (through {@link DailySummaryRepository.rebuild}: strongly consistent, and
 * read again when another writer changes the summary meanwhile).
 *
 * The entry write and the rebuild are two steps. When the rebuild fails (e.g.
 * `dynamodb.unavailable`, or `repository.conflict` after its 3 attempts) the
 * call rejects with that error and the entries stay written; repeating the
 * call (every write here converges) or `DailySummaryRepository.rebuild`
 * brings the summary up to date.
 */
@injectable()
export class HealthLogService {
  constructor(
    @inject(HealthEntryRepository) private readonly entries: HealthEntryRepository,
    @inject(DailySummaryRepository) private readonly summaries: DailySummaryRepository,
  ) {}

  /**
   * Stores the entry at `date`/`time` as `HealthEntryRepository.save` does
   * (validated, derived attributes, index items, one conditional
   * transaction; `options.expected` locks on the entry last read), then
   * rebuilds the day's summary. Resolves with the stored entry. A rejected
   * save (`repository.invalidInput`, `repository.conflict`) writes nothing.
   */
  async saveEntry(date: string, time: string, input: unknown, options: HealthEntryWriteOptions = {}): Promise<HealthEntry> {
    const entry = await this.entries.save(date, time, input, options);
    await this.summaries.rebuild(date);
    return entry;
  }

  /**
   * Deletes the entry at `date`/`time` and its index items as
   * `HealthEntryRepository.delete` does, then rebuilds the day's summary (a
   * day left without entries loses it). Resolves with the deleted entry, or
   * undefined — touching no summary — when there was none (or it was
   * invalid, and so never counted in a summary).
   */
  async deleteEntry(date: string, time: string, options: HealthEntryWriteOptions = {}): Promise<HealthEntry | undefined> {
    const deleted = await this.entries.delete(date, time, options);
    if (deleted !== undefined) await this.summaries.rebuild(date);
    return deleted;
  }

  /**
   * Bulk load (the migrator's imports): stores the writes through
   * `HealthEntryRepository.saveMany` (every write validated first, nothing
   * stored when one fails; then the batch path, neither transactional nor
   * conditioned), then rebuilds the summary of every date they touch, 16 at
   * a time. Running the same writes again converges on the same items and
   * summaries, so an interrupted import is finished by running it again.
   * A summary counts everything its day holds, whichever call wrote it;
   * passing whole days saves work, as a day split over two calls is rebuilt by each.
   */
  async importDays(writes: readonly HealthEntryWrite[]): Promise<HealthLogImport> {
    const entries = await this.entries.saveMany(writes);
    const dates = [...new Set(writes.map((write) => write.date))];
    for (let start = 0; start < dates.length; start += REBUILDS_AT_ONCE) {
      await Promise.all(dates.slice(start, start + REBUILDS_AT_ONCE).map((date) => this.summaries.rebuild(date)));
    }
    return { entries, dates };
  }
}
