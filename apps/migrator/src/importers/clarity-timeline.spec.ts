import { ClarityTimeline, type TimedRow } from './clarity-timeline.ts';
import { localTimeCandidates } from './local-time.ts';

const berlin = localTimeCandidates('Europe/Berlin');
/** A row of transmitter `transmitter` showing `local` (Berlin) at transmitter time `tt`. */
const row = (line: number, local: string, tt: number | undefined, transmitter = 'TX1'): TimedRow<string> => ({
  line,
  candidates: berlin(local) as number[],
  transmitter,
  transmitterTime: tt,
  payload: local,
});
const iso = (placed: { instant: number }[]) => placed.map((p) => new Date(p.instant).toISOString());

describe(ClarityTimeline.name, () => {
  describe('.place', () => {
    it('when two passes of the repeated hour share a local second, gives each the instant its transmitter time agrees with', () => {
      // Berlin, 2025-10-26: 02:00–02:59 happens at 00:xxZ (CEST) and again at 01:xxZ (CET).
      const timeline = new ClarityTimeline<string>();
      const placed = [
        row(2, '2025-10-26T01:55:00', 10_000),
        row(3, '2025-10-26T02:00:00', 13_900), // second pass, listed first
        row(4, '2025-10-26T02:00:00', 10_300),
        row(5, '2025-10-26T03:00:00', 17_500),
      ].flatMap((r) => timeline.place(r));
      expect(iso(placed)).toEqual(['2025-10-25T23:55:00.000Z', '2025-10-26T01:00:00.000Z', '2025-10-26T00:00:00.000Z', '2025-10-26T02:00:00.000Z']);
      expect(timeline.findings).toEqual({ ambiguous: 2, by_transmitter_time: 2, by_row_order: 0, clock_changes: [] });
    });

    it('when the transmitter restarts its clock (a new session under the same id), starts again from the local time', () => {
      const timeline = new ClarityTimeline<string>();
      const placed = [row(2, '2025-07-01T10:00:00', 900_000), row(3, '2025-07-20T10:00:00', 120)].flatMap((r) => timeline.place(r));
      expect(iso(placed)).toEqual(['2025-07-01T08:00:00.000Z', '2025-07-20T08:00:00.000Z']);
      expect(timeline.findings.clock_changes).toEqual([]);
    });

    it('when rows sorted by local time come back to readings before a clock change, reports the change once', () => {
      const timeline = new ClarityTimeline<string>();
      const placed = [
        row(2, '2025-07-01T12:00:00', 0),
        row(3, '2025-07-01T12:00:01', 3_600), // an hour later on the transmitter: the phone's clock went back an hour
        row(4, '2025-07-01T12:05:00', 300),
        row(5, '2025-07-01T12:05:01', 3_900),
      ].flatMap((r) => timeline.place(r));
      expect(iso(placed)).toEqual(['2025-07-01T10:00:00.000Z', '2025-07-01T11:00:01.000Z', '2025-07-01T10:05:00.000Z', '2025-07-01T11:05:01.000Z']);
      expect(timeline.findings.clock_changes).toEqual([{ line: 3, transmitter: 'TX1', shift_ms: -3_600_000 }]);
    });
  });

  describe('.finish', () => {
    it('when a transmitter was only ever seen inside the repeated hour, places its rows by row order and counts them', () => {
      const timeline = new ClarityTimeline<string>();
      expect([row(2, '2025-10-26T02:10:00', 600), row(3, '2025-10-26T02:10:00', 4_200)].flatMap((r) => timeline.place(r))).toEqual([]);
      expect(iso(timeline.finish())).toEqual(['2025-10-26T00:10:00.000Z', '2025-10-26T01:10:00.000Z']);
      expect(timeline.findings).toMatchObject({ ambiguous: 2, by_transmitter_time: 0, by_row_order: 2 });
    });
  });
});
