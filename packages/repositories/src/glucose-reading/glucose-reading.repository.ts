import { DYNAMODB_CORE_TOKENS, DynamoDBService, VitalsError, type Logger } from '@vitals/dynamodb-core';
import {
  GlucoseReadingInputSchema,
  GlucoseReadingSchema,
  glucoseReadingCreatedAtIndex,
  glucoseReadingKey,
  glucoseReadingPrimaryIndex,
  glucoseReadingsTable,
  toGlucoseReading,
  type GlucoseReading,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { BaseRepository, type Page, type PageRequest, type QuerySpec } from '../base/base-repository.ts';
import { invalidInput, validInput, validKey } from '../base/validate.ts';
import { REPOSITORY_TOKENS, type Clock, type RepositorySettings } from '../settings/repository-settings.ts';

const ENTITY = 'GlucoseReading';

export interface ReadingRange {
  /** Inclusive lower bound (an instant); absent = from the first reading. */
  from?: string;
  /** Inclusive upper bound (an instant); absent = up to the last reading. */
  to?: string;
  /** Default ascending (oldest first). */
  order?: 'asc' | 'desc';
}

/**
 * A user's CGM and manual glucose readings (`bg_readings`). Saving is
 * idempotent per user + timestamp: a re-sync overwrites, never duplicates.
 */
@injectable()
export class GlucoseReadingRepository {
  private readonly base: BaseRepository<GlucoseReading>;

  constructor(
    @inject(DynamoDBService) db: DynamoDBService,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.base = new BaseRepository(db, logger.child({ component: 'GlucoseReadingRepository' }), settings, {
      entity: ENTITY,
      table: glucoseReadingsTable,
      schema: GlucoseReadingSchema,
    });
  }

  /** Validates (mmol/L converted to mg/dL) and stores one reading; returns what was stored. */
  async save(userId: string, input: unknown): Promise<GlucoseReading> {
    const reading = this.toReadings(userId, [input])[0] as GlucoseReading;
    await this.base.put(reading);
    return reading;
  }

  /**
   * Validates every reading first (one bad reading rejects the call, naming
   * its index), then writes them all through the batch path. Repeated
   * timestamps in one call keep the last.
   */
  async saveMany(userId: string, inputs: readonly unknown[]): Promise<GlucoseReading[]> {
    const byTimestamp = new Map(this.toReadings(userId, inputs).map((reading) => [reading.timestamp, reading]));
    const readings = [...byTimestamp.values()];
    await this.base.putMany(readings);
    return readings;
  }

  async get(userId: string, timestamp: string): Promise<GlucoseReading | undefined> {
    return this.base.get(validKey(ENTITY, () => glucoseReadingKey(userId, timestamp)));
  }

  /** Deletes one reading; resolves with it, or undefined when there was none. */
  async delete(userId: string, timestamp: string): Promise<GlucoseReading | undefined> {
    return this.base.delete(validKey(ENTITY, () => glucoseReadingKey(userId, timestamp)));
  }

  /** One page of a user's readings in a time range, oldest or newest first. */
  async listRange(userId: string, range: ReadingRange = {}, page: PageRequest = {}): Promise<Page<GlucoseReading>> {
    return this.base.queryPage(this.rangeQuery(userId, range), page);
  }

  /** Every reading of a user in a range, page after page. */
  async *iterateRange(userId: string, range: ReadingRange = {}): AsyncGenerator<GlucoseReading> {
    yield* this.base.queryAll(this.rangeQuery(userId, range));
  }

  async latest(userId: string): Promise<GlucoseReading | undefined> {
    const { items } = await this.base.queryPage(this.rangeQuery(userId, { order: 'desc' }), { limit: 1 });
    return items[0];
  }

  /** Readings stored (created) after `since`, in storing order: what an incremental sync has not seen yet. */
  async listCreatedSince(userId: string, since: string, page: PageRequest = {}): Promise<Page<GlucoseReading>> {
    const query = validKey(ENTITY, () => glucoseReadingCreatedAtIndex.keyCondition(userId, { gt: since }));
    return this.base.queryPage(query, page);
  }

  private rangeQuery(userId: string, range: ReadingRange): QuerySpec {
    const { from, to } = range;
    const sort =
      from !== undefined && to !== undefined
        ? { between: [from, to] as const }
        : from !== undefined
          ? { gte: from }
          : to !== undefined
            ? { lte: to }
            : undefined;
    const condition = validKey(ENTITY, () => glucoseReadingPrimaryIndex.keyCondition(userId, sort));
    return { ...condition, descending: range.order === 'desc' };
  }

  private toReadings(userId: string, inputs: readonly unknown[]): GlucoseReading[] {
    validKey(ENTITY, () => glucoseReadingPrimaryIndex.partition(userId));
    const now = this.clock.now();
    const retention = this.settings.glucose_retention_days;
    const expiresAt = retention === undefined ? undefined : Math.floor(now.getTime() / 1_000) + retention * 86_400;
    const readings: GlucoseReading[] = [];
    const issues: { path: string; message: string }[] = [];
    inputs.forEach((input, index) => {
      try {
        const valid = validInput(GlucoseReadingInputSchema, input, ENTITY, inputs.length > 1 ? String(index) : '');
        readings.push(toGlucoseReading(userId, valid, now, expiresAt));
      } catch (error) {
        if (!VitalsError.is(error, 'repository.invalidInput')) throw error;
        issues.push(...error.details.issues);
      }
    });
    if (issues.length > 0) throw invalidInput(ENTITY, issues);
    return readings;
  }
}
