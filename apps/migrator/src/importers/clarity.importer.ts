import { GlucoseReadingInputSchema, parseSensorGlucose, readingTimeProblem, trendFromRate, type GlucoseReadingInput } from '@vitals/models';
import { GlucoseReadingRepository, REPOSITORY_TOKENS, type ReadingSaveCounts } from '@vitals/repositories';
import type { Report } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { ChunkedWrites } from '../runtime/chunked-writes.ts';
import { importReport, runPasses, type ImportRunOptions, type PassMode } from '../runtime/passes.ts';
import { assertClarityFile, clarityColumns, clarityRows, type ClarityColumns, type ClarityRow } from './clarity-file.ts';
import { ClarityTimeline, type PlacedRow, type TimelineFindings } from './clarity-timeline.ts';
import { localTimeCandidates } from './local-time.ts';
import { RepeatedInstants } from './repeated-instants.ts';

export interface ClarityImportOptions extends ImportRunOptions {
  userId: string;
  timeZone: string;
}

/** Readings handed to the repository's batch path at a time (each is 10 BatchGet and up to 40 BatchWrite requests, 16 in flight). */
const WRITE_CHUNK = 1_000;
/** Chunks being written while the next is parsed. */
const CHUNKS_IN_FLIGHT = 3;

type Converted = { ok: true; input: GlucoseReadingInput } | { ok: false; reason: string };

/** One EGV row at `instant` as a reading input, parsed (the only validation it gets) by `GlucoseReadingInputSchema`. */
function convert(row: ClarityRow, columns: ClarityColumns, instant: number, now: Date): Converted {
  const sensor = parseSensorGlucose(row[columns.glucose] ?? '', columns.unit, { field: columns.glucoseName });
  if (!sensor.ok) return { ok: false, reason: sensor.error.message.replace(/^: /, '') };
  const glucose = sensor.value;
  const rateText = columns.rate === undefined ? '' : (row[columns.rate] ?? '').trim();
  const rate = rateText === '' ? undefined : Number(rateText) * (columns.unit === 'mmol/L' ? 18.01559 : 1);
  const device = (columns.sourceDevice !== undefined && row[columns.sourceDevice]?.trim()) || 'clarity';
  const transmitter = transmitterOf(row, columns);
  const input = {
    timestamp: new Date(instant).toISOString(),
    ...glucose,
    glucose_unit: 'mg/dL',
    trend_direction: trendFromRate(rate !== undefined && Number.isFinite(rate) ? rate : undefined),
    device_info: { device_id: device, serial_number: device, ...(transmitter ? { transmitter_id: transmitter } : {}) },
    reading_type: 'CGM',
    source: 'dexcom',
  };
  const valid = GlucoseReadingInputSchema.safeParse(input);
  if (!valid.success) {
    return { ok: false, reason: valid.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
  }
  // The repository refuses the same (with a later clock): checked here so a dry run reports it and a real run skips the row.
  const implausible = readingTimeProblem(valid.data.timestamp, now);
  if (implausible !== undefined) return { ok: false, reason: `timestamp: ${implausible}` };
  return { ok: true, input: valid.data };
}

function transmitterOf(row: ClarityRow, columns: ClarityColumns): string {
  return columns.transmitter === undefined ? '' : (row[columns.transmitter] ?? '').trim();
}

function transmitterTimeOf(row: ClarityRow, columns: ClarityColumns): number | undefined {
  const text = columns.transmitterTime === undefined ? '' : (row[columns.transmitterTime] ?? '').trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function hours(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')} h`;
}

/** What the report says about how rows were placed in time, in words an operator can act on. */
function timeNotes(findings: TimelineFindings, hasTransmitterTime: boolean): string[] {
  const notes: string[] = [];
  if (findings.by_transmitter_time > 0) {
    notes.push(`${findings.by_transmitter_time} rows in the hour repeated when clocks went back were placed by Transmitter Time`);
  }
  if (findings.by_row_order > 0) {
    const why = hasTransmitterTime ? 'rows without a Transmitter Time' : 'the export has no Transmitter Time column';
    notes.push(
      `${findings.by_row_order} rows in the hour repeated when clocks went back were placed by row order (${why}): ` +
        'right only if the export lists the first pass through the hour before the second',
    );
  }
  for (const change of findings.clock_changes) {
    notes.push(
      change.shift_ms === 0
        ? `line ${change.line}: the local time agrees with transmitter ${change.transmitter || '(no id)'}'s clock again; readings are placed by their local time`
        : `line ${change.line}: the local time moves ${change.shift_ms < 0 ? 'back' : 'forward'} ${hours(change.shift_ms)} against ` +
            `transmitter ${change.transmitter || '(no id)'}'s clock (the phone's time zone changed?); its readings from here on are placed by Transmitter Time`,
    );
  }
  return notes;
}

/**
 * Streams a Clarity CSV export into the readings table: metadata and non-EGV rows
 * are passed over, EGV rows become readings (Low/High → 39/401 with
 * `out_of_range`, mmol/L converted, rate of change → trend), placed in time
 * by their local time and Transmitter Time (`ClarityTimeline`). Bad rows,
 * and rows whose reading a later row replaces at the same instant, are
 * reported with their line while the valid ones go in; with `strict`, the
 * whole file is validated first and any of them aborts before a single
 * write. Writes are idempotent per user + timestamp, and the report counts
 * readings new, changed and unchanged in the table.
 */
export async function importClarity(context: MigratorContext, file: string, options: ClarityImportOptions): Promise<Report> {
  const started = performance.now();
  const checked = await assertClarityFile(file);
  const repository = context.container.get(GlucoseReadingRepository);
  const now = context.container.get(REPOSITORY_TOKENS.Clock).now();
  const skipped: Report['skipped'] = [];
  const counts: ReadingSaveCounts = { new: 0, changed: 0, unchanged: 0 };
  let read = 0;
  let ignored = 0;
  let overwrittenInFile = 0;
  let findings: TimelineFindings | undefined;

  /** One streaming pass; several chunks are written while parsing goes on, so the batch path always has requests in flight. */
  const pass = async ({ collect, write }: PassMode) => {
    const writes = new ChunkedWrites<GlucoseReadingInput>({
      chunkSize: WRITE_CHUNK,
      inFlight: CHUNKS_IN_FLIGHT,
      write: async (chunk) => {
        const result = await repository.saveManyParsedWithCounts(options.userId, chunk);
        counts.new += result.counts.new;
        counts.changed += result.counts.changed;
        counts.unchanged += result.counts.unchanged;
        options.progress.increment(chunk.length);
      },
    });
    let columns: ClarityColumns | undefined;
    const candidatesOf = localTimeCandidates(options.timeZone);
    const timeline = new ClarityTimeline<{ row: ClarityRow; local: string }>();
    const repeats = new RepeatedInstants<GlucoseReadingInput>();
    const take = async (placed: PlacedRow<{ row: ClarityRow; local: string }>) => {
      const converted = convert(placed.row.payload.row, columns as ClarityColumns, placed.instant, now);
      if (!converted.ok) {
        if (collect) skipped.push({ where: `line ${placed.row.line}`, reason: converted.reason });
        return;
      }
      const { input } = converted;
      const { earlier, ready } = repeats.take({ line: placed.row.line, instant: placed.instant, says: `${input.glucose_value} ${input.out_of_range ?? ''}` }, input);
      if (earlier !== undefined && collect) {
        overwrittenInFile++;
        if (earlier.says !== `${input.glucose_value} ${input.out_of_range ?? ''}`) {
          const why = placed.row.transmitterTime === undefined ? ', and without Transmitter Time nothing tells the two apart' : '';
          skipped.push({
            where: `line ${earlier.line}`,
            reason: `replaced by line ${placed.row.line}: both are ${input.timestamp} (${placed.row.payload.local} in ${options.timeZone})${why}`,
          });
        }
      }
      if (write) for (const item of ready) await writes.push(item);
    };
    try {
      for await (const { record: row, info } of clarityRows(file)) {
        if (columns === undefined) {
          columns = clarityColumns(row, file);
          continue;
        }
        if ((row[columns.eventType] ?? '').trim() !== 'EGV') {
          if (collect) ignored++;
          continue;
        }
        if (collect) read++;
        const local = (row[columns.timestamp] ?? '').trim();
        const candidates = candidatesOf(local);
        if (candidates === undefined) {
          if (collect) skipped.push({ where: `line ${info.lines}`, reason: `timestamp "${local}" is not YYYY-MM-DDThh:mm:ss` });
          continue;
        }
        const timed = { line: info.lines, candidates, transmitter: transmitterOf(row, columns), transmitterTime: transmitterTimeOf(row, columns) };
        for (const placed of timeline.place({ ...timed, payload: { row, local } })) await take(placed);
      }
      for (const placed of timeline.finish()) await take(placed);
      if (write) for (const item of repeats.drain()) await writes.push(item);
      await writes.finish();
    } finally {
      await writes.settle();
    }
    if (collect) findings = timeline.findings;
  };

  const { aborted } = await runPasses(options, () => skipped.length, pass);
  // Rows that waited for their transmitter's clock are reported late: list everything in file order.
  skipped.sort((a, b) => Number(a.where.slice(5)) - Number(b.where.slice(5)));
  const report = importReport(`import clarity ${file}`, options, started, {
    read,
    written: counts.new + counts.changed,
    skipped,
    aborted,
    details: {
      user_id: options.userId,
      time_zone: options.timeZone,
      ignored_rows: ignored,
      transmitter_time: checked.transmitterTime !== undefined,
      ...(findings === undefined ? {} : { time_placement: findings }),
    },
  });
  const notes = findings === undefined ? [] : timeNotes(findings, checked.transmitterTime !== undefined);
  return {
    ...report,
    ...(options.dryRun || aborted ? {} : { counts: { ...counts, overwritten_in_file: overwrittenInFile } }),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
