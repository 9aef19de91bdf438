import { VitalsError, type Item, type Key } from '@vitals/dynamodb-core';
import type { GlucoseReading, ReadingChange, ReadingTombstone } from '@vitals/models';
import { z } from 'zod';
import { invalidInput } from '../errors/repository-errors.ts';
import type { Clock } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../store/store-types.ts';

const INDEX = 'user_id-srv_modified-index';
const DAY_MS = 86_400_000;

/** Where to read a user's change feed from: a cursor of an earlier page, or changes after an instant (epoch ms). */
export interface ChangeFeedRequest {
  /** `next_cursor` of an earlier page: resumes right after it. */
  cursor?: string | null;
  /** Only changes with `srv_modified` greater than this (Nightscout v3's `lastModified`). Not with `cursor`. */
  since_ms?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

export interface ChangeFeedPage {
  /** In modification order (`srv_modified`; a deletion before an upsert of the same millisecond). */
  changes: ReadingChange[];
  /** Where the next read resumes, also when no change was served: a follower keeps it (signed, bound to the user). */
  next_cursor: string;
  /** More changes are ready now; false when the follower has caught up with the settled feed. */
  has_more: boolean;
}

/** A position in one of the two indexes: the key the next query starts after. */
const PositionSchema = z.strictObject({ user_id: z.string(), timestamp: z.string(), srv_modified: z.number().int().min(0) });
type Position = z.infer<typeof PositionSchema>;

/** What a cursor holds: the lower bound it started from, each index's position, and up to when the feed was complete. */
const CursorStateSchema = z.strictObject({
  since: z.number().int().min(-1),
  through: z.number().int(),
  readings: PositionSchema.optional(),
  tombstones: PositionSchema.optional(),
});
type CursorState = z.infer<typeof CursorStateSchema>;

interface Source {
  items: Item[];
  more: boolean;
}

export interface ChangeFeedParts {
  readings: EntityStore<GlucoseReading, typeof INDEX | 'user_id-created_at-index'>;
  tombstones: EntityStore<ReadingTombstone, typeof INDEX>;
  clock: Clock;
  settleMs: number;
  retentionDays: number;
}

/**
 * A user's readings' change feed: the readings' `user_id-srv_modified-index`
 * merged with the tombstones' index of the same name, up to the settled
 * horizon (now − settle lag). Each index resumes from its own position (its
 * last item served), so ties of one millisecond page exactly; a tombstone
 * whose reading is stored again is not served (the reading is, as an
 * upsert), so a follower always ends where the readings table is. See
 * docs/CHANGE-FEED.md.
 */
export class ReadingChangeFeed {
  constructor(private readonly parts: ChangeFeedParts) {}

  async list(userId: string, request: ChangeFeedRequest): Promise<ChangeFeedPage> {
    const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
    const now = this.parts.clock.now().getTime();
    const state = this.startState(userId, request, limit, now);
    const horizon = now - this.parts.settleMs;
    // The tombstones' query is small: the readings stored again under their keys are looked up while the readings' query runs.
    const [readings, [tombstones, restored]] = await Promise.all([
      this.read(this.parts.readings, userId, state.since, state.readings, horizon, limit),
      this.read(this.parts.tombstones, userId, state.since, state.tombstones, horizon, limit).then(
        async (found) => [found, await this.storedAgain(found.items)] as const,
      ),
    ]);
    const served: { raw: Item; tombstone: boolean }[] = [];
    let r = 0;
    let t = 0;
    while (served.length < limit && (r < readings.items.length || t < tombstones.items.length)) {
      const reading = readings.items[r];
      const tombstone = tombstones.items[t];
      if (tombstone !== undefined && (reading === undefined || modifiedAt(tombstone) <= modifiedAt(reading))) {
        served.push({ raw: tombstone, tombstone: true });
        t++;
      } else {
        served.push({ raw: reading as Item, tombstone: false });
        r++;
      }
    }
    const hasMore = r < readings.items.length || readings.more || t < tombstones.items.length || tombstones.more;
    const last = served.at(-1);
    const next: CursorState = {
      since: state.since,
      through: hasMore && last !== undefined ? modifiedAt(last.raw) : Math.max(state.through, horizon),
      readings: r > 0 ? positionOf(readings.items[r - 1] as Item) : state.readings,
      tombstones: t > 0 ? positionOf(tombstones.items[t - 1] as Item) : state.tombstones,
    };
    return { changes: this.changesOf(served, restored), next_cursor: this.cursors(userId).encode(next as unknown as Key), has_more: hasMore };
  }

  private startState(userId: string, request: ChangeFeedRequest, limit: number, now: number): CursorState {
    const issues: { path: string; message: string }[] = [];
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) issues.push({ path: 'limit', message: `must be an integer 1..${MAX_PAGE_LIMIT}` });
    const { cursor, since_ms: since } = request;
    const hasCursor = cursor !== undefined && cursor !== null;
    if (hasCursor && since !== undefined) issues.push({ path: 'since_ms', message: 'give a cursor or since_ms, not both' });
    if (since !== undefined && !(Number.isSafeInteger(since) && since >= 0)) issues.push({ path: 'since_ms', message: 'must be an integer ≥ 0 (epoch ms)' });
    if (issues.length > 0) throw invalidInput(this.parts.readings.entityName, issues);
    this.parts.readings.key({ user_id: userId, timestamp: '1970-01-01T00:00:00.000Z' }); // a bad user id: repository.invalidInput
    if (!hasCursor) return { since: since ?? -1, through: since ?? -1 };
    const parsed = CursorStateSchema.safeParse(this.cursors(userId).decode(cursor));
    if (!parsed.success) throw new VitalsError('repository.invalidCursor', 'The change feed cursor is not one this API issued', { reason: 'malformed' });
    const oldest = now - this.parts.retentionDays * DAY_MS;
    if (parsed.data.through < oldest) {
      throw new VitalsError(
        'repository.invalidCursor',
        `The change feed cursor is older than the ${this.parts.retentionDays} days deletions are kept: read the readings again and follow the feed from a new start`,
        { reason: 'expired' },
      );
    }
    return parsed.data;
  }

  /** Up to `limit` items of one index after `position` (or after `since`), none past `horizon`. */
  private async read(
    store: Pick<EntityStore<unknown, typeof INDEX>, 'queryRaw'>,
    userId: string,
    since: number,
    position: Position | undefined,
    horizon: number,
    limit: number,
  ): Promise<Source> {
    const from = position?.srv_modified ?? since + 1;
    if (horizon < from) return { items: [], more: false }; // a clock behind the position: nothing settled yet
    return store.queryRaw(
      { index: INDEX, partition: userId, sort: { between: [from, horizon] } },
      { limit, ...(position === undefined ? {} : { startKey: position }) },
    );
  }

  /** The timestamps of `tombstones` under which a reading is stored again (strongly consistent). */
  private async storedAgain(tombstones: readonly Item[]): Promise<Set<string>> {
    const keys = tombstones.map((raw) => ({ user_id: String(raw['user_id']), timestamp: String(raw['timestamp']) }));
    const stored = await this.parts.readings.getManyRaw(keys, { consistentRead: true });
    return new Set(stored.map((item) => String(item['timestamp'])));
  }

  /** The changes of the served items; invalid stored items and tombstones of readings stored again are left out. */
  private changesOf(served: readonly { raw: Item; tombstone: boolean }[], restored: ReadonlySet<string>): ReadingChange[] {
    const readings = this.parts.readings.parseItems(served.filter((entry) => !entry.tombstone).map((entry) => entry.raw));
    const tombstones = this.parts.tombstones.parseItems(served.filter((entry) => entry.tombstone).map((entry) => entry.raw));
    this.parts.readings.reportSkipped(readings.skipped);
    this.parts.tombstones.reportSkipped(tombstones.skipped);
    // Parsed in one pass each, then put back in served order by key (valid items keep their key).
    const upserts = new Map(readings.items.map((reading) => [reading.timestamp, reading]));
    const deletions = new Map(tombstones.items.map((gone) => [gone.timestamp, gone]));
    const changes: ReadingChange[] = [];
    for (const { raw, tombstone } of served) {
      const timestamp = String(raw['timestamp']);
      if (tombstone) {
        const gone = deletions.get(timestamp);
        if (gone !== undefined && !restored.has(timestamp)) changes.push({ kind: 'delete', srv_modified: gone.srv_modified, user_id: gone.user_id, timestamp });
      } else {
        const reading = upserts.get(timestamp);
        if (reading !== undefined) changes.push({ kind: 'upsert', srv_modified: modifiedAt(raw), reading });
      }
    }
    return changes;
  }

  private cursors(userId: string) {
    return this.parts.readings.cursors({ keyCondition: 'reading-changes', values: { user_id: userId } });
  }
}

function modifiedAt(raw: Item): number {
  return Number(raw['srv_modified']);
}

function positionOf(raw: Item): Position {
  return { user_id: String(raw['user_id']), timestamp: String(raw['timestamp']), srv_modified: modifiedAt(raw) };
}
