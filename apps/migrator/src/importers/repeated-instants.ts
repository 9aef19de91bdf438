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
 * took (the later one's reading replaces the earlier one's in the table).
 * Holds only the last two days of instants, so memory stays flat however
 * long the export.
 */
export class RepeatedInstants {
  private readonly taken = new Map<number, PlacedReading>();
  private newest = Number.NEGATIVE_INFINITY;

  /** Records `reading`; resolves with the earlier reading it replaces, if any. */
  take(reading: PlacedReading): PlacedReading | undefined {
    const earlier = this.taken.get(reading.instant);
    this.taken.delete(reading.instant);
    this.taken.set(reading.instant, reading);
    if (reading.instant > this.newest) {
      this.newest = reading.instant;
      const cutoff = this.newest - WINDOW_MS;
      for (const [instant] of this.taken) {
        if (instant >= cutoff) break;
        this.taken.delete(instant);
      }
    }
    return earlier;
  }
}
