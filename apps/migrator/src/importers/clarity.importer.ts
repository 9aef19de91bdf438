import { GlucoseReadingInputSchema, parseSensorGlucose, readingTimeProblem, trendFromRate, type GlucoseReadingInput } from '@vitals/models';
import { GlucoseReadingRepository, REPOSITORY_TOKENS } from '@vitals/repositories';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Report } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { ChunkedWrites } from '../runtime/chunked-writes.ts';
import { importReport, runPasses, type ImportRunOptions, type PassMode } from '../runtime/passes.ts';
import { UsageError } from '../runtime/usage-error.ts';
import { localTimeConverter } from './local-time.ts';

export interface ClarityImportOptions extends ImportRunOptions {
  userId: string;
  timeZone: string;
}

/** Readings handed to the repository's batch path at a time (each is 40 BatchWrite requests, 16 in flight). */
const WRITE_CHUNK = 1_000;
/** Chunks being written while the next is parsed. */
const CHUNKS_IN_FLIGHT = 3;

/** Positions of the Clarity columns in a row (rows are arrays: cheaper than an object per row). */
interface Columns {
  timestamp: number;
  eventType: number;
  glucose: number;
  glucoseName: string;
  rate?: number;
  sourceDevice?: number;
  transmitter?: number;
  unit: 'mg/dL' | 'mmol/L';
}

/** Finds the Clarity columns by header; a file without them is not a Clarity export (a usage error). */
function columnsOf(header: readonly string[], file: string): Columns {
  const find = (test: (name: string) => boolean) => {
    const index = header.findIndex(test);
    return index < 0 ? undefined : index;
  };
  const timestamp = find((name) => name.startsWith('Timestamp'));
  const eventType = find((name) => name === 'Event Type');
  const mgdl = find((name) => name === 'Glucose Value (mg/dL)');
  const mmol = find((name) => name === 'Glucose Value (mmol/L)');
  const glucose = mgdl ?? mmol;
  if (timestamp === undefined || eventType === undefined || glucose === undefined) {
    throw new UsageError(
      `${file} is not a Dexcom Clarity export: expected the columns "Timestamp (YYYY-MM-DDThh:mm:ss)", "Event Type" and "Glucose Value (mg/dL)" or "Glucose Value (mmol/L)"`,
    );
  }
  return {
    timestamp,
    eventType,
    glucose,
    glucoseName: header[glucose] as string,
    rate: find((name) => name.startsWith('Glucose Rate of Change')),
    sourceDevice: find((name) => name === 'Source Device ID'),
    transmitter: find((name) => name === 'Transmitter ID'),
    unit: mgdl !== undefined ? 'mg/dL' : 'mmol/L',
  };
}

type Row = readonly string[];
type Converted = { ok: true; input: GlucoseReadingInput } | { ok: false; reason: string };

/** One EGV row as a reading input, parsed (the only validation it gets) by `GlucoseReadingInputSchema`. */
function convert(row: Row, columns: Columns, toUtc: (local: string) => string | undefined, now: Date): Converted {
  const local = row[columns.timestamp] ?? '';
  const timestamp = toUtc(local);
  if (timestamp === undefined) return { ok: false, reason: `timestamp "${local}" is not YYYY-MM-DDThh:mm:ss` };
  const sensor = parseSensorGlucose(row[columns.glucose] ?? '', columns.unit, { field: columns.glucoseName });
  if (!sensor.ok) return { ok: false, reason: sensor.error.message.replace(/^: /, '') };
  const glucose = sensor.value;
  const rateText = columns.rate === undefined ? '' : (row[columns.rate] ?? '').trim();
  const rate = rateText === '' ? undefined : Number(rateText) * (columns.unit === 'mmol/L' ? 18.01559 : 1);
  const device = (columns.sourceDevice !== undefined && row[columns.sourceDevice]?.trim()) || 'clarity';
  const transmitter = columns.transmitter !== undefined && row[columns.transmitter]?.trim();
  const input = {
    timestamp,
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

/** The file's rows as arrays, each with the line it ends on; the first is the header. */
function rows(file: string): AsyncIterable<{ record: Row; info: { lines: number } }> {
  return createReadStream(file).pipe(parse({ relax_column_count: true, bom: true, info: true }));
}

/**
 * Streams a Clarity CSV export into `bg_readings`: metadata and non-EGV rows
 * are passed over, EGV rows become readings (Low/High → 39/401 with
 * `out_of_range`, mmol/L converted, rate of change → trend). Bad rows are
 * reported with their line while the valid ones go in; with `strict`, the
 * whole file is validated first and any bad row aborts before a single
 * write. Writes are idempotent per user + timestamp, so a re-run (or an
 * overlapping export) adds nothing.
 */
export async function importClarity(context: MigratorContext, file: string, options: ClarityImportOptions): Promise<Report> {
  const started = performance.now();
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw new UsageError(`${file}: no such file`);
  const repository = context.container.get(GlucoseReadingRepository);
  const now = context.container.get(REPOSITORY_TOKENS.Clock).now();
  const skipped: Report['skipped'] = [];
  let read = 0;
  let ignored = 0;
  let written = 0;

  /** One streaming pass; several chunks are written while parsing goes on, so the batch path always has requests in flight. */
  const pass = async ({ collect, write }: PassMode) => {
    const writes = new ChunkedWrites<GlucoseReadingInput>({
      chunkSize: WRITE_CHUNK,
      inFlight: CHUNKS_IN_FLIGHT,
      write: async (chunk) => {
        await repository.saveManyParsed(options.userId, chunk);
        written += chunk.length;
        options.progress.increment(chunk.length);
      },
    });
    let columns: Columns | undefined;
    // Per pass: the converter follows the rows' order through the hour repeated when clocks go back.
    const toUtc = localTimeConverter(options.timeZone);
    try {
      for await (const { record: row, info } of rows(file)) {
        if (columns === undefined) {
          columns = columnsOf(row, file);
          continue;
        }
        if ((row[columns.eventType] ?? '').trim() !== 'EGV') {
          if (collect) ignored++;
          continue;
        }
        if (collect) read++;
        const converted = convert(row, columns, toUtc, now);
        if (!converted.ok) {
          if (collect) skipped.push({ where: `line ${info.lines}`, reason: converted.reason });
          continue;
        }
        if (write) await writes.push(converted.input);
      }
      await writes.finish();
    } finally {
      await writes.settle();
    }
  };

  const { aborted } = await runPasses(options, () => skipped.length, pass);
  return importReport(`import clarity ${file}`, options, started, {
    read,
    written,
    skipped,
    aborted,
    details: { user_id: options.userId, time_zone: options.timeZone, ignored_rows: ignored },
  });
}
