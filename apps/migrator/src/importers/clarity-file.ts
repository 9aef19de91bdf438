import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UsageError } from '../runtime/usage-error.ts';

/** Positions of the Clarity columns in a row (rows are arrays: cheaper than an object per row). */
export interface ClarityColumns {
  timestamp: number;
  eventType: number;
  glucose: number;
  glucoseName: string;
  rate?: number;
  sourceDevice?: number;
  transmitter?: number;
  /** `Transmitter Time (Long Integer)`: absent in older exports (12 columns). */
  transmitterTime?: number;
  unit: 'mg/dL' | 'mmol/L';
}

export type ClarityRow = readonly string[];

/** The file's rows as arrays, each with the line it ends on; the first is the header. */
export function clarityRows(file: string): AsyncIterable<{ record: ClarityRow; info: { lines: number } }> {
  const source = createReadStream(file);
  const records = source.pipe(parse({ relax_column_count: true, bom: true, info: true }));
  // pipe() does not pass a read error on: without this a loop over the records would wait forever.
  source.on('error', (error) => records.destroy(error));
  return records;
}

/**
 * Finds the Clarity columns by header. A header without them is not a
 * Clarity export: a usage error naming each column missing.
 */
export function clarityColumns(header: readonly string[], file: string): ClarityColumns {
  const find = (test: (name: string) => boolean) => {
    const index = header.findIndex((name) => test(name.trim()));
    return index < 0 ? undefined : index;
  };
  const timestamp = find((name) => name.startsWith('Timestamp'));
  const eventType = find((name) => name === 'Event Type');
  const mgdl = find((name) => name === 'Glucose Value (mg/dL)');
  const mmol = find((name) => name === 'Glucose Value (mmol/L)');
  const glucose = mgdl ?? mmol;
  const missing = [
    ...(timestamp === undefined ? ['"Timestamp (YYYY-MM-DDThh:mm:ss)"'] : []),
    ...(eventType === undefined ? ['"Event Type"'] : []),
    ...(glucose === undefined ? ['"Glucose Value (mg/dL)" or "Glucose Value (mmol/L)"'] : []),
  ];
  if (timestamp === undefined || eventType === undefined || glucose === undefined) {
    throw new UsageError(`${file}: not a Clarity export: no ${missing.join(', no ')} column`);
  }
  return {
    timestamp,
    eventType,
    glucose,
    glucoseName: header[glucose] as string,
    rate: find((name) => name.startsWith('Glucose Rate of Change')),
    sourceDevice: find((name) => name === 'Source Device ID'),
    transmitter: find((name) => name === 'Transmitter ID'),
    transmitterTime: find((name) => name === 'Transmitter Time (Long Integer)'),
    unit: mgdl !== undefined ? 'mg/dL' : 'mmol/L',
  };
}

/**
 * Checks, before anything connects or writes, that `file` is a readable
 * file whose first row is a Clarity header; every way it is not is one
 * usage error. Resolves with the columns.
 */
export async function assertClarityFile(file: string): Promise<ClarityColumns> {
  const stats = await stat(file).catch(() => undefined);
  if (stats === undefined) throw new UsageError(`${file}: no such file`);
  if (!stats.isFile()) throw new UsageError(`${file}: not a file${stats.isDirectory() ? ' (a directory)' : ''}`);
  let header: ClarityRow | undefined;
  try {
    for await (const { record } of clarityRows(file)) {
      header = record;
      break;
    }
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${file}: cannot be read (${code})`);
    throw new UsageError(`${file}: not a Clarity export: its first line is not CSV (${message.split('\n')[0]})`);
  }
  if (header === undefined) throw new UsageError(`${file}: not a Clarity export: the file is empty`);
  return clarityColumns(header, file);
}
