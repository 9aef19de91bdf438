import { VitalsError } from '@vitals/dynamodb-core';
import {
  GlucoseReadingInputSchema,
  glucoseReadingEntity,
  readingTimeProblem,
  readingTombstoneEntity,
  toGlucoseReading,
  type GlucoseReading,
  type GlucoseReadingInput,
  type ReadingTombstone,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { validInput, validKey } from '../base/validate.ts';
import { invalidInput } from '../errors/repository-errors.ts';
import {
  DEFAULT_READING_CHANGES_SETTLE_MS,
  DEFAULT_READING_TOMBSTONE_RETENTION_DAYS,
  REPOSITORY_TOKENS,
  type Clock,
  type RepositorySettings,
} from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import type { Page, PageRequest, TableQuery } from '../store/store-types.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { ReadingChangeFeed, type ChangeFeedPage, type ChangeFeedRequest } from './reading-change-feed.ts';
import { GlucoseRollupService } from '../glucose-rollup/glucose-rollup.service.ts';
import { planReadingWrite, type ReadingSaveCounts, type ReadingSaveResult } from './stored-reading.ts';

const ENTITY = glucoseReadingEntity.name;
const { primary } = glucoseReadingEntity;

export interface ReadingRange {
  /** Inclusive lower bound (an instant); absent = from the first reading. */
  from?: string;
  /** Inclusive upper bound (an instant); absent = up to the last reading. */
  to?: string;
  /** Default ascending (oldest first). */
  order?: 'asc' | 'desc';
}

/**
 * A user's CGM and manual glucose readings (the readings table). Saving is
 * idempotent per user + timestamp: a re-sync overwrites, never duplicates,
 * and re-saving a reading the table already holds writes nothing, so its
 * `created_at` and `updated_at` still say when it first arrived and last
 * changed (what `listCreatedSince` and incremental syncs rely on).
 */
@injectable()
export class GlucoseReadingRepository {
  private readonly store: EntityStore<GlucoseReading, 'user_id-created_at-index' | 'user_id-srv_modified-index'>;
  private readonly tombstones: EntityStore<ReadingTombstone, 'user_id-srv_modified-index'>;
  private readonly feed: ReadingChangeFeed;

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
    @inject(GlucoseRollupService) private readonly rollups: GlucoseRollupService,
  ) {
    this.store = stores.for(glucoseReadingEntity, { component: 'GlucoseReadingRepository' });
    this.tombstones = stores.for(readingTombstoneEntity, { component: 'GlucoseReadingRepository' });
    this.feed = new ReadingChangeFeed({
      readings: this.store,
      tombstones: this.tombstones,
      clock,
      settleMs: settings.reading_changes_settle_ms ?? DEFAULT_READING_CHANGES_SETTLE_MS,
      retentionDays: this.tombstoneRetentionDays,
    });
  }

  /** Validates (mmol/L converted to mg/dL) and stores one reading, as `saveMany` does; returns the reading as stored. */
  async save(userId: string, input: unknown): Promise<GlucoseReading> {
    const { readings } = await this.storeAndRollUp(userId, this.toReadings(userId, [input]));
    return readings[0] as GlucoseReading;
  }

  /**
   * Validates every reading first (one bad reading rejects the call, naming
   * its index), then writes them all through the batch path. Repeated
   * timestamps in one call keep the last. Resolves with the readings as
   * stored: an unchanged one as it already was, a changed one with its
   * first `created_at`.
   */
  async saveMany(userId: string, inputs: readonly unknown[]): Promise<GlucoseReading[]> {
    return (await this.storeAndRollUp(userId, this.toReadings(userId, inputs))).readings;
  }

  /**
   * `saveMany` for inputs already parsed by `GlucoseReadingInputSchema` (an
   * importer that validates each row itself, to report bad ones by line):
   * they are not validated a second time. `GlucoseReadingInput` is branded,
   * so only that schema's output type-checks here; input of unknown shape
   * belongs in `saveMany`. The user id is still checked, then the same batch
   * write: idempotent per timestamp, a timestamp repeated in one call keeps
   * the last.
   */
  async saveManyParsed(userId: string, inputs: readonly GlucoseReadingInput[]): Promise<GlucoseReading[]> {
    return (await this.saveManyParsedWithCounts(userId, inputs)).readings;
  }

  /**
   * `saveManyParsed`, also saying what the table held before: how many
   * readings were new, changed (replaced, `created_at` kept) or unchanged
   * (not written at all). For importers that report what a run really did.
   */
  async saveManyParsedWithCounts(userId: string, inputs: readonly GlucoseReadingInput[]): Promise<ReadingSaveResult> {
    const stamp = this.stamper(userId);
    const issues = inputs.flatMap((input, index) => this.timeIssues(input, String(index)));
    if (issues.length > 0) throw invalidInput(ENTITY, issues);
    return this.storeAndRollUp(userId, inputs.map(stamp));
  }

  async get(userId: string, timestamp: string): Promise<GlucoseReading | undefined> {
    return this.store.get({ user_id: userId, timestamp });
  }

  /**
   * Deletes one reading; resolves with it, or undefined when there was none.
   * The tombstone the change feed serves is written first, stamped after the
   * reading's last change: a delete cut short leaves a tombstone beside a
   * stored reading, which the feed does not serve, and a second call
   * finishes it.
   */
  async delete(userId: string, timestamp: string): Promise<GlucoseReading | undefined> {
    const stored = await this.store.getRaw({ user_id: userId, timestamp }, { consistentRead: true });
    if (stored === undefined) return undefined;
    const now = this.clock.now();
    const lastChange = typeof stored['srv_modified'] === 'number' ? stored['srv_modified'] : -1;
    await this.tombstones.put({
      user_id: userId,
      timestamp,
      srv_modified: Math.max(now.getTime(), lastChange + 1),
      deleted_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1_000) + this.tombstoneRetentionDays * 86_400,
    });
    const deleted = await this.store.delete({ user_id: userId, timestamp });
    await this.rollups.readingsWritten(userId, [timestamp]);
    return deleted;
  }

  /**
   * A user's changes in modification order — readings stored or changed
   * (an unchanged re-save is none) and deletions — from a cursor of an
   * earlier page or after `since_ms`, only changes older than the settle lag
   * (see docs/CHANGE-FEED.md).
   */
  async listChanges(userId: string, request: ChangeFeedRequest = {}): Promise<ChangeFeedPage> {
    return this.feed.list(userId, request);
  }

  /** One page of a user's readings in a time range, oldest or newest first. */
  async listRange(userId: string, range: ReadingRange = {}, page: PageRequest = {}): Promise<Page<GlucoseReading>> {
    return this.store.queryPage(this.rangeQuery(userId, range), page);
  }

  /** Every reading of a user in a range, page after page. */
  async *iterateRange(userId: string, range: ReadingRange = {}): AsyncGenerator<GlucoseReading> {
    yield* this.store.queryAll(this.rangeQuery(userId, range));
  }

  async latest(userId: string): Promise<GlucoseReading | undefined> {
    const { items } = await this.store.queryPage(this.rangeQuery(userId, { order: 'desc' }), { limit: 1 });
    return items[0];
  }

  /** Readings stored (created) after `since`, in storing order: what an incremental sync has not seen yet. */
  async listCreatedSince(userId: string, since: string, page: PageRequest = {}): Promise<Page<GlucoseReading>> {
    return this.store.queryPage({ index: 'user_id-created_at-index', partition: userId, sort: { gt: since } }, page);
  }

  /**
   * The key and `updated_at` of every reading stored before the change feed
   * (no `srv_modified`), by a full Scan: for the operators' backfill, never
   * a request path.
   */
  async *unstampedReadings(): AsyncGenerator<{ user_id: string; timestamp: string; updated_at: unknown }> {
    for await (const item of this.store.scanAttributes(['user_id', 'timestamp', 'updated_at', 'srv_modified'])) {
      if (item['srv_modified'] !== undefined) continue;
      yield { user_id: String(item['user_id']), timestamp: String(item['timestamp']), updated_at: item['updated_at'] };
    }
  }

  /**
   * Sets a reading's `srv_modified` to `updatedAt` (epoch ms) if it still has
   * none: true when written, false when a write stamped it meanwhile or it
   * was deleted (never recreated). Idempotent, so a killed backfill is
   * finished by running it again.
   */
  async stampUnstamped(userId: string, timestamp: string, updatedAt: number): Promise<boolean> {
    const result = await this.store.tryUpdate(
      { user_id: userId, timestamp },
      {
        updateExpression: 'SET #srv = :srv',
        conditionExpression: 'attribute_exists(#ts) AND attribute_not_exists(#srv)',
        expressionAttributeNames: { '#srv': 'srv_modified', '#ts': 'timestamp' },
        expressionAttributeValues: { ':srv': updatedAt },
      },
    );
    return 'written' in result;
  }

  private get tombstoneRetentionDays(): number {
    return this.settings.reading_tombstone_retention_days ?? DEFAULT_READING_TOMBSTONE_RETENTION_DAYS;
  }

  private rangeQuery(userId: string, range: ReadingRange): TableQuery {
    const { from, to } = range;
    const sort =
      from !== undefined && to !== undefined
        ? { between: [from, to] as const }
        : from !== undefined
          ? { gte: from }
          : to !== undefined
            ? { lte: to }
            : undefined;
    return { partition: userId, sort, descending: range.order === 'desc' };
  }

  /**
   * `storeReadings`, then the daily rollups' upkeep of every day the batch
   * touches (changed or not, so re-running a killed import or sync repairs a
   * day whose rollup update it never reached), told what the store learnt —
   * the batch as stored, the newest timestamp it found, whether it wrote —
   * so the upkeep reads nothing the save already knows and rewrites no day
   * a no-op save left as it was (`GlucoseRollupService.readingsWritten`).
   */
  private async storeAndRollUp(userId: string, readings: readonly GlucoseReading[]): Promise<ReadingSaveResult> {
    const { result, newest } = await this.storeReadings(readings);
    const changed = result.counts.new + result.counts.changed > 0;
    await this.rollups.readingsWritten(userId, readings.map((reading) => reading.timestamp), { readings: result.readings, newestBefore: newest, changed });
    return result;
  }

  /**
   * Reads what is stored under the readings' keys, then writes only the new
   * and changed readings in one batch write. Reading first spares every
   * write of an unchanged re-import and keeps its timestamps true.
   *
   * The read is cut short where it can decide nothing: one Query (Limit 1,
   * newest first) finds the newest timestamp stored for the user, and a
   * reading strictly after it is new without reading its key; only the
   * others are read by BatchGet. A backfill into an empty partition, and the
   * new tail of a scheduled run, are not read at all. Both reads are
   * strongly consistent, so a save that just finished is seen.
   *
   * Concurrent savers of one timestamp still end with the last writer's
   * reading, as an unconditional put did: a reading another saver stores
   * after the Query is overwritten (as `new`, `created_at` ours) exactly as
   * one it stored after a BatchGet of its key would be — the Query stands
   * where the BatchGet stood, before the write.
   */
  private async storeReadings(readings: readonly GlucoseReading[]): Promise<{ result: ReadingSaveResult; newest: string | undefined }> {
    const unique = [...new Map(readings.map((reading) => [reading.timestamp, reading])).values()];
    const counts: ReadingSaveCounts = { new: 0, changed: 0, unchanged: 0 };
    if (unique.length === 0) return { result: { readings: [], counts }, newest: undefined };
    const newest = await this.newestStoredTimestamp((unique[0] as GlucoseReading).user_id);
    const maybeStored = newest === undefined ? [] : unique.filter((reading) => reading.timestamp <= newest);
    const stored = await this.store.getManyRaw(
      maybeStored.map((reading) => ({ user_id: reading.user_id, timestamp: reading.timestamp })),
      { consistentRead: true },
    );
    const storedByTimestamp = new Map(stored.map((item) => [item['timestamp'], item]));
    const toWrite: GlucoseReading[] = [];
    const result = unique.map((reading) => {
      const plan = planReadingWrite(storedByTimestamp.get(reading.timestamp), reading);
      counts[plan.outcome]++;
      if (plan.write) toWrite.push(plan.reading);
      return plan.reading;
    });
    if (toWrite.length > 0) await this.store.putMany(toWrite);
    return { result: { readings: result, counts }, newest };
  }

  /** The newest timestamp stored for `userId` (strongly consistent; an item that fails the schema counts), or undefined. */
  private async newestStoredTimestamp(userId: string): Promise<string | undefined> {
    const [key] = await this.store.queryKeys({ partition: userId, descending: true, consistentRead: true }, 1);
    return key === undefined ? undefined : String(key['timestamp']);
  }

  /** Checks the user id, then stamps validated inputs as stored readings (`created_at` now, TTL from the settings). */
  private stamper(userId: string): (input: GlucoseReadingInput) => GlucoseReading {
    validKey(ENTITY, () => primary.partition(userId));
    const now = this.clock.now();
    const retention = this.settings.glucose_retention_days;
    const expiresAt = retention === undefined ? undefined : Math.floor(now.getTime() / 1_000) + retention * 86_400;
    return (input) => toGlucoseReading(userId, input, now, expiresAt);
  }

  /** A reading dated more than 24 h after the clock (or before 1980) is refused, whichever path it came by. */
  private timeIssues(input: GlucoseReadingInput, prefix: string): { path: string; message: string }[] {
    const message = readingTimeProblem(input.timestamp, this.clock.now());
    return message === undefined ? [] : [{ path: prefix === '' ? 'timestamp' : `${prefix}.timestamp`, message }];
  }

  private toReadings(userId: string, inputs: readonly unknown[]): GlucoseReading[] {
    const stamp = this.stamper(userId);
    const readings: GlucoseReading[] = [];
    const issues: { path: string; message: string }[] = [];
    inputs.forEach((input, index) => {
      try {
        const prefix = inputs.length > 1 ? String(index) : '';
        const valid = validInput(GlucoseReadingInputSchema, input, ENTITY, prefix);
        const late = this.timeIssues(valid, prefix);
        if (late.length > 0) throw invalidInput(ENTITY, late);
        readings.push(stamp(valid));
      } catch (error) {
        if (!VitalsError.is(error, 'repository.invalidInput')) throw error;
        issues.push(...error.details.issues);
      }
    });
    if (issues.length > 0) throw invalidInput(ENTITY, issues);
    return readings;
  }
}
