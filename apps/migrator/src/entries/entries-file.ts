import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parserStream } from 'stream-json';
import streamObject from 'stream-json/streamers/stream-object.js';
import verifier from 'stream-json/utils/verifier.js';
import { UsageError } from '../runtime/usage-error.ts';
import { parseFileDay, type FileDay } from './entries-format.ts';

/** Verifier and parser errors carry where the JSON broke. */
interface JsonSyntaxError extends Error {
  line?: number;
  pos?: number;
}

/**
 * Checks that `file` exists and is JSON throughout (a streaming verifier,
 * one pass, flat memory) before anything is written: a missing, non-JSON
 * or truncated file is a usage error naming the line and column.
 */
export async function assertJsonFile(file: string): Promise<void> {
  if (!(await stat(file).catch(() => undefined))?.isFile()) throw new UsageError(`${file}: no such file`);
  try {
    await pipeline(createReadStream(file), verifier.asStream());
  } catch (error) {
    const { line, pos, message } = error as JsonSyntaxError;
    const where = line === undefined ? '' : ` at line ${line}, column ${pos}`;
    throw new UsageError(`${file} is not JSON${where}: ${message.replace(/^ERROR at .*?: /, '')}`);
  }
}

/**
 * The top-level properties of an `entries.json` file, one `{ key, value }`
 * (a whole day) at a time: only one day is in memory, however large the file.
 * A top level that is not an object is a usage error.
 */
export async function* readFileDays(file: string): AsyncGenerator<{ key: string; value: unknown }> {
  const source = createReadStream(file);
  const days = source.pipe(streamObject.withParserAsStream());
  // pipe() does not pass a read error on: without this the loop below would wait forever.
  source.on('error', (error) => days.destroy(error));
  try {
    for await (const day of days as AsyncIterable<{ key: string; value: unknown }>) yield day;
  } catch (error) {
    if (error instanceof Error && /top-level object should be an object/i.test(error.message)) {
      throw new UsageError(`${file} is not an entries.json export: the top level must be an object { MMDD: { HHMM: entry } }`);
    }
    throw error;
  } finally {
    days.destroy();
  }
}

/**
 * The days of an `entries.json` file for `year`, parsed (see
 * `parseFileDay`). A day key that appears again is a problem of its own:
 * the first occurrence counts, the repeat is reported and left out. A time
 * that appears twice in a day is reported too (JSON keeps its last value,
 * which is what is read).
 */
export async function* readEntriesFile(file: string, year: number): AsyncGenerator<FileDay> {
  const repeated = await repeatedTimes(file);
  const seen = new Set<string>();
  for await (const { key, value } of readFileDays(file)) {
    const parsed = parseFileDay(key, value, year);
    const again = seen.has(parsed.date ?? '') ? [] : (repeated.get(key) ?? []);
    const day = { ...parsed, problems: [...parsed.problems, ...again.map((time) => repeatedTime(key, time))] };
    if (day.date === undefined || !seen.has(day.date)) {
      if (day.date !== undefined) seen.add(day.date);
      yield day;
      continue;
    }
    yield { ...day, entries: [], problems: [{ where: key, reason: 'this day appears again in the file; only its first occurrence is used' }] };
  }
}

function repeatedTime(day: string, time: string) {
  return { where: `${day}/${time}`, reason: 'this time appears more than once in the day; only its last occurrence was read' };
}

/**
 * The `HHMM` keys that appear more than once within a day, by day key: an
 * object assembled from JSON keeps only the last, so without this scan of
 * the tokens (one streaming pass, packed values only) the others would be
 * lost without a word.
 */
async function repeatedTimes(file: string): Promise<Map<string, string[]>> {
  const repeated = new Map<string, string[]>();
  let depth = 0;
  let day = '';
  let times = new Set<string>();
  const tokens = createReadStream(file).pipe(parserStream({ streamValues: false }));
  for await (const token of tokens as AsyncIterable<{ name: string; value?: string }>) {
    if (token.name === 'startObject' || token.name === 'startArray') depth++;
    else if (token.name === 'endObject' || token.name === 'endArray') depth--;
    else if (token.name === 'keyValue' && depth === 1) {
      day = token.value ?? '';
      times = new Set();
    } else if (token.name === 'keyValue' && depth === 2) {
      const time = token.value ?? '';
      if (times.has(time)) repeated.set(day, [...(repeated.get(day) ?? []), time]);
      times.add(time);
    }
  }
  return repeated;
}
