import type { GlucoseReading } from '@vitals/models';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { GlucoseReadingRepository } from './glucose-reading.repository.ts';

/** mulberry32: the same seed gives the same interleaving on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const at = (slot: number) => new Date(Date.parse('2026-04-01T00:00:00.000Z') + slot * 300_000).toISOString();
const input = (slot: number, value: number) => ({ timestamp: at(slot), glucose_value: value, device_info: { device_id: 'g7', serial_number: 'SN-9' } });

/** What a follower keeps: the readings it has been told of, and the cursor it saved after its last page. */
interface FollowerState {
  readings: Map<string, GlucoseReading>;
  cursor: string | null;
  pages: number;
}

async function follow(repository: GlucoseReadingRepository, user: string, state: FollowerState, limit: number, maxPages = Infinity): Promise<void> {
  for (let read = 0; read < maxPages; read++) {
    const page = await repository.listChanges(user, { cursor: state.cursor, limit });
    for (const change of page.changes) {
      if (change.kind === 'upsert') state.readings.set(change.reading.timestamp, change.reading);
      else state.readings.delete(change.timestamp);
    }
    state.cursor = page.next_cursor;
    state.pages++;
    if (!page.has_more) return;
  }
}

describe('GlucoseReadingRepository.listChanges under random interleavings', () => {
  // A seed per case; a failure names it, and the same seed replays it.
  it.each([1, 7, 42])('seed %i: a follower reading pages between writes, restarting from its saved cursor, ends with exactly the stored readings', async (seed) => {
    const random = seeded(seed);
    const clock = manualClock('2026-04-02T00:00:00.000Z');
    // A settle lag of 1 ms on a clock that stands still during each write: every write commits within the lag of its stamp.
    const settings = { reading_changes_settle_ms: 1 };
    const first = await testContainer(settings, { clock });
    let repository = first.container.get(GlucoseReadingRepository);
    const user = `interleave-${seed}`;
    const follower: FollowerState = { readings: new Map(), cursor: null, pages: 0 };
    const slots = 40;
    let restarted = false;
    const containers = [first.container];
    try {
      for (let step = 0; step < 400; step++) {
        const roll = random();
        const slot = Math.floor(random() * slots);
        if (roll < 0.35) {
          await repository.save(user, input(slot, 40 + Math.floor(random() * 300)));
        } else if (roll < 0.5) {
          const batch = Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * slots));
          await repository.saveMany(user, batch.map((each) => input(each, 60 + (each % 7)))); // often an unchanged re-save
        } else if (roll < 0.7) {
          await repository.delete(user, at(slot));
        } else if (roll < 0.9) {
          await follow(repository, user, follower, 1 + Math.floor(random() * 9), 1 + Math.floor(random() * 3));
        } else if (!restarted && step > 200) {
          // A restart: a new process with the same tables and cursor secret; the follower kept only its state and cursor.
          const again = await testContainer({ ...settings, table_prefix: first.settings.table_prefix }, { clock });
          containers.push(again.container);
          repository = again.container.get(GlucoseReadingRepository);
          restarted = true;
        }
        clock.advance(Math.floor(random() * 3)); // 0..2 ms: many changes share a millisecond
      }
      clock.advance(1);
      await follow(repository, user, follower, 5);

      const stored: GlucoseReading[] = [];
      for await (const reading of repository.iterateRange(user)) stored.push(reading);
      expect(stored.length).toBeGreaterThan(5);
      expect(follower.pages).toBeGreaterThan(20);
      expect(restarted).toBe(true);
      expect([...follower.readings.values()].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1))).toEqual(stored);
    } finally {
      await Promise.all(containers.map((container) => container.unbindAll()));
    }
  });
});
