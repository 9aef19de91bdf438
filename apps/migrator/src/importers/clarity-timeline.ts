import { rowOrderInstant } from './local-time.ts';

/** One EGV row's time, as the timeline needs it. */
export interface TimedRow<T> {
  line: number;
  /** The instants (epoch ms, earliest first) its local time can be: two in the repeated hour. */
  candidates: readonly number[];
  /** `Transmitter ID` (empty when the export has none). */
  transmitter: string;
  /** `Transmitter Time (Long Integer)`: seconds on the transmitter's own clock, which never goes back. */
  transmitterTime: number | undefined;
  payload: T;
}

export interface PlacedRow<T> {
  row: TimedRow<T>;
  /** Epoch ms. */
  instant: number;
}

/** Where the export's local time stopped (or started again) agreeing with a transmitter's own clock. */
export interface ClockChange {
  line: number;
  transmitter: string;
  /** How far the local time now runs from the transmitter's clock (ms; negative: behind). */
  shift_ms: number;
}

export interface TimelineFindings {
  /** Rows whose local time is two instants (the hour repeated when clocks go back). */
  ambiguous: number;
  /** …of which Transmitter Time decided. */
  by_transmitter_time: number;
  /** …of which row order decided (no Transmitter Time to go by). */
  by_row_order: number;
  clock_changes: ClockChange[];
}

/** A row's local time may stray this far from its transmitter's clock and still be read as it is (the real exports drift ≤ 5 min). */
const TOLERANCE_MS = 10 * 60_000;
/** Local times further off than this are a restarted transmitter, not a clock change (time zones span 26 h). */
const MAX_CLOCK_CHANGE_MS = 26 * 3_600_000;

interface TransmitterClock {
  /** Instant of transmitter time 0, as the rows read so far place it (follows the slow drift). */
  epoch: number;
  /** How far the local time runs from that clock at its latest reading (0 unless the phone's clock changed). */
  shift: number;
  /** The latest transmitter time seen: rows sorted by local time come back to earlier readings, which must not flip `shift`. */
  latest: number;
}

/**
 * Places Clarity EGV rows in time. Clarity writes the phone's local time
 * and sorts rows by it, so in the hour repeated when clocks go back the two
 * passes alternate row by row, and a phone whose time zone changed writes
 * the same local times twice. `Transmitter Time` is each transmitter's own
 * clock in seconds, monotonic, so `instant − transmitter time` stays put
 * per transmitter (the epoch). A row's instant is the candidate of its
 * local time that agrees with its transmitter's epoch; when none does (the
 * phone's clock moved), the move is undone so that its transmitter's clock
 * places it, and the change is reported. A transmitter's first unambiguous row sets its epoch; rows in
 * the repeated hour before it wait for it. Without Transmitter Time, row
 * order decides (`rowOrderInstant`), and the findings say how often.
 */
export class ClarityTimeline<T> {
  readonly findings: TimelineFindings = { ambiguous: 0, by_transmitter_time: 0, by_row_order: 0, clock_changes: [] };
  private readonly clocks = new Map<string, TransmitterClock>();
  private readonly waiting = new Map<string, TimedRow<T>[]>();
  private last = Number.NEGATIVE_INFINITY;

  /** Places `row`, and any rows that waited for what it tells; may place none (it waits). */
  place(row: TimedRow<T>): PlacedRow<T>[] {
    if (row.candidates.length > 1) this.findings.ambiguous++;
    if (row.transmitterTime === undefined) return [this.byRowOrder(row)];
    const clock = this.clocks.get(row.transmitter);
    if (clock !== undefined) {
      const placed = this.byClock(row, clock);
      if (placed !== undefined) return [placed];
      // So far off that the transmitter must have restarted its clock: start it again from this row.
      this.clocks.delete(row.transmitter);
    }
    if (row.candidates.length > 1) {
      this.waiting.set(row.transmitter, [...(this.waiting.get(row.transmitter) ?? []), row]);
      return [];
    }
    const instant = row.candidates[0] as number;
    const started: TransmitterClock = { epoch: instant - row.transmitterTime * 1_000, shift: 0, latest: row.transmitterTime };
    this.clocks.set(row.transmitter, started);
    this.last = Math.max(this.last, instant);
    const waited = this.waiting.get(row.transmitter) ?? [];
    this.waiting.delete(row.transmitter);
    // Rows that waited come before this one: place them by the clock this row started (not moving it).
    const earlier = waited.map((early) => this.byClock(early, { ...started }) ?? this.byRowOrder(early));
    return [...earlier, { row, instant }];
  }

  /** Places the rows still waiting (a transmitter seen only in the repeated hour): by row order. */
  finish(): PlacedRow<T>[] {
    const rest = [...this.waiting.values()].flat().sort((a, b) => a.line - b.line);
    this.waiting.clear();
    return rest.map((row) => this.byRowOrder(row));
  }

  private byRowOrder(row: TimedRow<T>): PlacedRow<T> {
    if (row.candidates.length > 1) this.findings.by_row_order++;
    const instant = rowOrderInstant(row.candidates, this.last);
    this.last = Math.max(this.last, instant);
    return { row, instant };
  }

  /** The row's instant by its transmitter's clock, or undefined when the clock cannot be this transmitter's any more. */
  private byClock(row: TimedRow<T>, clock: TransmitterClock): PlacedRow<T> | undefined {
    const expected = clock.epoch + (row.transmitterTime as number) * 1_000;
    let nearest = row.candidates[0] as number;
    for (const candidate of row.candidates) if (Math.abs(candidate - expected) < Math.abs(nearest - expected)) nearest = candidate;
    const off = nearest - expected;
    if (Math.abs(off) > MAX_CLOCK_CHANGE_MS) return undefined;
    if (row.candidates.length > 1) this.findings.by_transmitter_time++;
    // Within tolerance the local time stands. Beyond it the phone's clock moved (a time-zone change) and the
    // transmitter's did not: undo the move, in whole minutes, so the reading keeps the seconds its phone showed.
    const shift = Math.abs(off) <= TOLERANCE_MS ? 0 : Math.round(off / 60_000) * 60_000;
    const instant = nearest - shift;
    if (shift === 0) clock.epoch = nearest - (row.transmitterTime as number) * 1_000;
    if ((row.transmitterTime as number) > clock.latest) {
      clock.latest = row.transmitterTime as number;
      if (Math.abs(shift - clock.shift) > TOLERANCE_MS) this.findings.clock_changes.push({ line: row.line, transmitter: row.transmitter, shift_ms: shift });
      clock.shift = shift;
    }
    this.last = Math.max(this.last, instant);
    return { row, instant };
  }
}
