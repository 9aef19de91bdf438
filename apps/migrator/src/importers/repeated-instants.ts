/** A reading placed in time, as far as telling repeats apart needs it. */
export interface PlacedReading {
  line: number;
  instant: number;
  /** What the reading says (value and flags): two rows saying the same lose nothing by sharing an instant. */
  says: string;
}

/** How far behind the newest instant a repeat can still turn up: rows come in local-time order, and time zones span 26 h. */
const WINDOW_MS = 2 * 86_400_000;

/**
 * Finds rows of one file that land on an instant an earlier row already
 * took, and holds each row's item back until no later row can take its
 * instant any more: only the last row of an instant is ever handed on to be
 * written. Writing both and relying on their order would not do, since
 * chunks are written several at a time and a re-import would rewrite the
 * pair. Holds only the last two days of instants, so memory stays flat
 * however long the export.
 */
export class RepeatedInstants<T> {
  private readonly held = new Map<number, { reading: PlacedReading; item: T }>();
  private newest = Number.NEGATIVE_INFINITY;

  /**
   * Holds `item` (replacing the earlier row's at its instant); resolves with
   * the earlier reading it replaces, if any, and the items now past the
   * window, ready to be written.
   */
  take(reading: PlacedReading, item: T): { earlier: PlacedReading | undefined; ready: T[] } {
    const earlier = this.held.get(reading.instant)?.reading;
    this.held.delete(reading.instant);
    this.held.set(reading.instant, { reading, item });
    const ready: T[] = [];
    if (reading.instant > this.newest) {
      this.newest = reading.instant;
      const cutoff = this.newest - WINDOW_MS;
      for (const [instant, held] of this.held) {
        if (instant >= cutoff) break;
        this.held.delete(instant);
        ready.push(held.item);
      }
    }
    return { earlier, ready };
  }

  /** Every item still held: the end of the file, where no later row can come. */
  drain(): T[] {
    const rest = [...this.held.values()].map((held) => held.item);
    this.held.clear();
    return rest;
  }
}
