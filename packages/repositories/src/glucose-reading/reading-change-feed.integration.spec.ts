import { VitalsError, type DynamoDBService } from '@vitals/dynamodb-core';
import { GlucoseReadingInputSchema, glucoseReadingEntity, type ReadingChange } from '@vitals/models';
import type { Container } from 'inversify';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { GlucoseReadingRepository } from './glucose-reading.repository.ts';

const T0 = Date.parse('2026-03-05T00:00:00.000Z');
const at = (i: number) => new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 300_000).toISOString();
const input = (i: number, value = 100 + (i % 150)) => ({
  timestamp: at(i),
  glucose_value: value,
  device_info: { device_id: 'g7', serial_number: 'SN-1' },
});
const brief = (change: ReadingChange) =>
  change.kind === 'upsert' ? `upsert ${change.reading.timestamp} ${change.reading.glucose_value} @${change.srv_modified - T0}` : `delete ${change.timestamp} @${change.srv_modified - T0}`;

async function rejection(promise: Promise<unknown>): Promise<VitalsError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof VitalsError)) throw new Error(`expected a VitalsError, got ${String(error)}`);
  return error;
}

describe('GlucoseReadingRepository.listChanges', () => {
  const clock = manualClock(new Date(T0).toISOString());
  const SETTLE = 1_000;
  let container: Container;
  let db: DynamoDBService;
  let repository: GlucoseReadingRepository;
  let readingsTable: string;

  beforeAll(async () => {
    const made = await testContainer({ reading_changes_settle_ms: SETTLE, reading_tombstone_retention_days: 7 }, { clock });
    ({ container, db } = made);
    readingsTable = glucoseReadingEntity.tableName(made.settings.table_prefix);
    repository = container.get(GlucoseReadingRepository);
  });
  afterAll(() => container.unbindAll());
  beforeEach(() => clock.set(new Date(T0).toISOString()));

  it('when readings are stored, changed, re-saved unchanged, deleted and stored again, serves each change once in that order', async () => {
    const user = 'feed-story';
    await repository.saveMany(user, [input(0), input(1)]);
    clock.advance(10);
    await repository.save(user, input(1, 180)); // changed
    clock.advance(10);
    const reimport = await repository.saveManyParsedWithCounts(user, [input(0), input(1, 180)].map((raw) => GlucoseReadingInputSchema.parse(raw)));
    expect(reimport.counts).toEqual({ new: 0, changed: 0, unchanged: 2 });
    clock.advance(10);
    await repository.delete(user, at(0));
    clock.advance(10);
    await repository.save(user, input(0, 95)); // stored again after the delete
    clock.advance(SETTLE);

    const page = await repository.listChanges(user);
    // The tombstone of a reading stored again is not served: the reading is.
    expect(page.changes.map(brief)).toEqual([`upsert ${at(1)} 180 @10`, `upsert ${at(0)} 95 @40`]);
    expect(page.has_more).toBe(false);

    // A follower that read before the delete and before the re-save sees the upsert, the delete, then the new upsert.
    const follower = 'feed-story-follower';
    await repository.save(follower, input(0));
    clock.advance(SETTLE);
    const first = await repository.listChanges(follower);
    expect(first.changes.map(brief)).toEqual([`upsert ${at(0)} 100 @${SETTLE + 40}`]);
    await repository.delete(follower, at(0));
    clock.advance(SETTLE);
    const second = await repository.listChanges(follower, { cursor: first.next_cursor });
    expect(second.changes.map(brief)).toEqual([`delete ${at(0)} @${2 * SETTLE + 40}`]);
    await repository.save(follower, input(0, 97));
    clock.advance(SETTLE);
    const third = await repository.listChanges(follower, { cursor: second.next_cursor });
    expect(third.changes.map(brief)).toEqual([`upsert ${at(0)} 97 @${3 * SETTLE + 40}`]);
  });

  it('when a re-import changes nothing, the feed after it is empty', async () => {
    const user = 'feed-reimport';
    const inputs = Array.from({ length: 300 }, (_, i) => GlucoseReadingInputSchema.parse(input(i)));
    await repository.saveManyParsedWithCounts(user, inputs);
    clock.advance(SETTLE);
    const all = await repository.listChanges(user, { limit: 1_000 });
    expect(all.changes).toHaveLength(300);
    clock.advance(60_000);
    expect((await repository.saveManyParsedWithCounts(user, inputs)).counts.unchanged).toBe(300);
    clock.advance(SETTLE);
    const after = await repository.listChanges(user, { cursor: all.next_cursor });
    expect(after).toMatchObject({ changes: [], has_more: false });
    expect((await repository.listChanges(user, { since_ms: T0 + SETTLE })).changes).toEqual([]);
  });

  it('when 250 readings share one millisecond, pages of 7 serve each exactly once', async () => {
    const user = 'feed-ties';
    await repository.saveMany(user, Array.from({ length: 250 }, (_, i) => input(i)));
    await repository.delete(user, at(3)); // stamped 1 ms after the reading it deletes
    clock.advance(SETTLE + 1);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (let more = true; more; pages++) {
      const page = await repository.listChanges(user, { cursor, limit: 7 });
      expect(page.changes.length).toBeLessThanOrEqual(7);
      seen.push(...page.changes.map((change) => (change.kind === 'upsert' ? change.reading.timestamp : `-${change.timestamp}`)));
      ({ next_cursor: cursor, has_more: more } = page);
    }
    expect(pages).toBe(36);
    expect(seen.at(-1)).toBe(`-${at(3)}`);
    expect(new Set(seen).size).toBe(250);
    expect(seen.slice(0, -1).sort()).toEqual(Array.from({ length: 250 }, (_, i) => at(i)).filter((timestamp) => timestamp !== at(3)));
  });

  it('when a writer stamped T1 but commits after a follower read at T2 > T1, the follower still gets it (settle lag)', async () => {
    const user = 'feed-late-writer';
    await repository.save(user, input(0));
    clock.advance(SETTLE + 500); // T2: the first reading has settled
    const early = await repository.listChanges(user);
    expect(early.changes.map(brief)).toEqual([`upsert ${at(0)} 100 @0`]);
    // A writer that read the clock at T2 − 200 ms lands its write only now.
    const late = { ...(await repository.get(user, at(0))), timestamp: at(1), glucose_value: 140, srv_modified: T0 + SETTLE + 300 };
    await db.items.putItem({ tableName: readingsTable, item: late });
    clock.advance(SETTLE);
    const next = await repository.listChanges(user, { cursor: early.next_cursor });
    expect(next.changes.map(brief)).toEqual([`upsert ${at(1)} 140 @${SETTLE + 300}`]);
  });

  it('when asked since an instant, serves only changes after it (Nightscout v3 lastModified)', async () => {
    const user = 'feed-since';
    await repository.save(user, input(0));
    clock.advance(100);
    await repository.save(user, input(1));
    clock.advance(100);
    await repository.delete(user, at(0));
    clock.advance(SETTLE);
    expect((await repository.listChanges(user, { since_ms: T0 })).changes.map(brief)).toEqual([`upsert ${at(1)} 101 @100`, `delete ${at(0)} @200`]);
    expect((await repository.listChanges(user, { since_ms: T0 + 100 })).changes.map(brief)).toEqual([`delete ${at(0)} @200`]);
  });

  it('when a cursor is another user’s, expired, or given with since_ms, or the limit is out of bounds, refuses it', async () => {
    await repository.save('feed-alice', input(0));
    clock.advance(SETTLE);
    const { next_cursor: cursor } = await repository.listChanges('feed-alice');
    expect((await rejection(repository.listChanges('feed-bob', { cursor }))).details).toEqual({ reason: 'foreign' });
    expect((await rejection(repository.listChanges('feed-alice', { cursor, since_ms: 0 }))).code).toBe('repository.invalidInput');
    expect((await rejection(repository.listChanges('feed-alice', { limit: 1_001 }))).code).toBe('repository.invalidInput');
    expect((await rejection(repository.listChanges('feed-alice', { since_ms: -5 }))).code).toBe('repository.invalidInput');
    clock.advance(8 * 86_400_000); // past the 7 days tombstones are kept
    const expired = await rejection(repository.listChanges('feed-alice', { cursor }));
    expect(expired.details).toEqual({ reason: 'expired' });
    expect(expired.message).toMatch(/older than the 7 days deletions are kept/);
  });

  it('when a delete is cut short after its tombstone, the feed does not serve it, and a second delete completes it', async () => {
    const user = 'feed-cut-short';
    await repository.save(user, input(0));
    clock.advance(10);
    const deleting = jest.spyOn(db.items, 'deleteItem').mockRejectedValueOnce(new Error('killed mid-delete'));
    await expect(repository.delete(user, at(0))).rejects.toThrow('killed mid-delete');
    deleting.mockRestore();
    clock.advance(SETTLE);
    expect((await repository.listChanges(user)).changes.map(brief)).toEqual([`upsert ${at(0)} 100 @0`]);
    expect(await repository.delete(user, at(0))).toMatchObject({ timestamp: at(0) });
    clock.advance(SETTLE);
    expect((await repository.listChanges(user)).changes.map(brief)).toEqual([`delete ${at(0)} @${SETTLE + 10}`]);
  });
});
