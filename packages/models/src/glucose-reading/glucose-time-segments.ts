import { addGlucosePiece, addReadingStart, emptyGlucoseAccumulator, type GlucoseAccumulator } from './glucose-accumulator.ts';
import type { GlucoseReading } from './glucose-reading.schema.ts';
import type { LocalClock } from './local-clock.ts';

const MINUTE_MS = 60_000;
/** Detected cadences are clamped to [1, 15] minutes: the CGMs there are (Libre 3 1 min, Dexcom 5, Libre 15). */
export const MIN_CADENCE_MS = MINUTE_MS;
export const MAX_CADENCE_MS = 15 * MINUTE_MS;
/** A stream's cadence, as the report shows it, on a day without two of its readings. */
export const DEFAULT_CADENCE_MS = 5 * MINUTE_MS;
/** A reading stands for at most this many cadences; beyond, the time is missing. */
export const GAP_LIMIT_CADENCES = 2;
/** The longest time one reading can stand for: readings this long before a window reach into it. */
export const MAX_GAP_MS = GAP_LIMIT_CADENCES * MAX_CADENCE_MS;

/** What the statistics read of a reading; a missing `device_info` or `source` is one unnamed stream. */
export type StatisticsReading = Pick<GlucoseReading, 'timestamp' | 'glucose_value'> & {
  readonly source?: string;
  readonly device_info?: { readonly device_id: string; readonly serial_number: string };
  readonly reading_type?: GlucoseReading['reading_type'];
};

/** One device stream: a source and device, and the cadence that applied to most of its readings. */
export interface GlucoseStream {
  source: string | null;
  device_id: string | null;
  serial_number: string | null;
  /** Its readings in the window. */
  count: number;
  cadence_minutes: number;
}

/** Lower median (of a non-empty list): a stream with as many gaps as readings keeps its short cadence. */
function lowerMedian(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)] as number;
}

/**
 * The time-weighted accumulator of the CGM readings over [fromMs, toMs).
 *
 * - A stream is a (source, device_id, serial_number); manual readings are
 *   not CGM time and are left out.
 * - A stream's cadence on a local day is the lower median of the intervals
 *   between its consecutive readings that end in that day and the window
 *   and last at most {@link MAX_GAP_MS} (longer is a gap at any cadence),
 *   clamped to [1, 15] min; 5 min when there is no such interval.
 * - A reading stands for the time until the next reading of any stream, at
 *   most 2 × its stream's cadence on the day the time falls in; the rest is
 *   missing. So the glucose at an instant is the newest reading still valid.
 * - Time is clipped to the window; a reading up to {@link MAX_GAP_MS} before
 *   `fromMs` reaches into it. Pieces are split at local hour boundaries.
 *
 * Every rule is local to a day (and the last reading before it), so the
 * accumulator of a window equals the merge of its days' accumulators.
 */
export function accumulateGlucose(
  readings: readonly StatisticsReading[],
  window: { readonly fromMs: number; readonly toMs: number; readonly clock: LocalClock; readonly toEpochMs: (timestamp: string) => number },
): { accumulator: GlucoseAccumulator; streams: GlucoseStream[] } {
  const { fromMs, toMs, clock } = window;
  const earliest = fromMs - MAX_GAP_MS;
  // ── the CGM readings that matter, in time order ─────────────────────────
  const times: number[] = [];
  const values: number[] = [];
  const streamOf: number[] = [];
  const streamIndex = new Map<string, number>();
  const streams: GlucoseStream[] = [];
  let sorted = true;
  // Readings come in runs of one device: the previous reading's stream is checked before building a key.
  let lastSource: string | null | undefined;
  let lastDeviceId: string | undefined;
  let lastSerial: string | undefined;
  let lastStream = -1;
  for (const reading of readings) {
    if (reading.reading_type === 'manual') continue;
    const ms = window.toEpochMs(reading.timestamp);
    if (!(ms >= earliest && ms < toMs)) continue;
    const source = reading.source ?? null;
    const device = reading.device_info;
    let stream: number | undefined =
      lastStream >= 0 && source === lastSource && device?.device_id === lastDeviceId && device?.serial_number === lastSerial ? lastStream : undefined;
    if (stream === undefined) stream = streamIndex.get(`${source ?? ''}\u0000${device?.device_id ?? ''}\u0000${device?.serial_number ?? ''}`);
    if (stream === undefined) {
      stream = streams.length;
      streamIndex.set(`${source ?? ''}\u0000${device?.device_id ?? ''}\u0000${device?.serial_number ?? ''}`, stream);
      streams.push({ source, device_id: device?.device_id ?? null, serial_number: device?.serial_number ?? null, count: 0, cadence_minutes: 0 });
    }
    [lastSource, lastDeviceId, lastSerial, lastStream] = [source, device?.device_id, device?.serial_number, stream];
    if (times.length > 0 && ms < (times[times.length - 1] as number)) sorted = false;
    times.push(ms);
    values.push(reading.glucose_value);
    streamOf.push(stream);
  }
  let order: number[] | undefined;
  if (!sorted) {
    order = times.map((_, index) => index).sort((a, b) => (times[a] as number) - (times[b] as number));
  }
  const n = times.length;
  const timeAt = order === undefined ? (k: number) => times[k] as number : (k: number) => times[order[k] as number] as number;
  const valueAt = order === undefined ? (k: number) => values[k] as number : (k: number) => values[order[k] as number] as number;
  const streamAt = order === undefined ? (k: number) => streamOf[k] as number : (k: number) => streamOf[order[k] as number] as number;

  // ── cadence per stream and local day ─────────────────────────────────────
  const intervals: Map<number, number[]>[] = streams.map(() => new Map());
  const daysSeen: Map<number, number>[] = streams.map(() => new Map());
  const last: (number | undefined)[] = streams.map(() => undefined);
  for (let k = 0; k < n; k += 1) {
    const ms = timeAt(k);
    const stream = streamAt(k);
    const previous = last[stream];
    last[stream] = ms;
    if (ms < fromMs) continue;
    const day = clock.dayOf(ms);
    const seen = daysSeen[stream] as Map<number, number>;
    seen.set(day, (seen.get(day) ?? 0) + 1);
    (streams[stream] as GlucoseStream).count += 1;
    // An interval longer than the longest gap limit is a gap at any cadence, not a cadence.
    if (previous !== undefined && ms - previous <= MAX_GAP_MS) {
      const list = (intervals[stream] as Map<number, number[]>).get(day);
      if (list === undefined) (intervals[stream] as Map<number, number[]>).set(day, [ms - previous]);
      else list.push(ms - previous);
    }
  }
  const cadences: Map<number, number>[] = intervals.map((byDay) => {
    const cadence = new Map<number, number>();
    for (const [day, list] of byDay) cadence.set(day, Math.min(MAX_CADENCE_MS, Math.max(MIN_CADENCE_MS, lowerMedian(list))));
    return cadence;
  });
  streams.forEach((stream, index) => {
    // The cadence that applied to most of the stream's readings (for display; the computation uses each day's).
    const readingsByCadence = new Map<number, number>();
    for (const [day, count] of daysSeen[index] as Map<number, number>) {
      const cadence = (cadences[index] as Map<number, number>).get(day) ?? DEFAULT_CADENCE_MS;
      readingsByCadence.set(cadence, (readingsByCadence.get(cadence) ?? 0) + count);
    }
    let best = DEFAULT_CADENCE_MS;
    let most = -1;
    for (const [cadence, count] of readingsByCadence) {
      if (count > most || (count === most && cadence < best)) [best, most] = [cadence, count];
    }
    stream.cadence_minutes = best / MINUTE_MS;
  });

  // ── the time each reading stands for, piece by piece ─────────────────────
  const accumulator = emptyGlucoseAccumulator();
  for (let k = 0; k < n; k += 1) {
    const ms = timeAt(k);
    const value = valueAt(k);
    const cadence = cadences[streamAt(k)] as Map<number, number>;
    if (ms >= fromMs) addReadingStart(accumulator, clock.hourOf(ms));
    const next = k + 1 < n ? Math.min(timeAt(k + 1), toMs) : toMs;
    const horizon = Math.min(next, ms + MAX_GAP_MS);
    let position = Math.max(ms, fromMs);
    while (position < horizon) {
      // A day without an interval of the stream ending in it (its one reading of the window just before midnight) has
      // no cadence of its own: its time is bounded by the gap limit alone, so a regular series is never cut at midnight.
      const limit = ms + GAP_LIMIT_CADENCES * (cadence.get(clock.dayOf(position)) ?? MAX_CADENCE_MS);
      const hourEnd = clock.nextHourChange(position);
      // Past this day's limit: the next local day may allow more (its own cadence), so look at the next hour.
      if (limit <= position) {
        position = hourEnd;
        continue;
      }
      const end = Math.min(horizon, limit, hourEnd);
      addGlucosePiece(accumulator, value, position, end, clock.hourOf(position));
      position = end;
    }
  }
  return { accumulator, streams };
}
