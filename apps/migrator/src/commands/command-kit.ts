import type { EnvLike } from '@vitals/dynamodb-core';
import { UserIdSchema, isHealthDate } from '@vitals/models';
import { InvalidArgumentError, type Command } from 'commander';
import { isTimeZone } from '../importers/local-time.ts';
import type { Report } from '../report/report.ts';

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  env: EnvLike;
}

export interface CommonFlags {
  json?: boolean;
  dryRun?: boolean;
  strict?: boolean;
}

/** What a command file needs from the CLI: the io and a way to end with a report. */
export interface CommandKit {
  io: Io;
  emit(report: Report, flags: CommonFlags): void;
}

/** Adds the flags every data command shares. */
export function withCommonFlags(command: Command): Command {
  return command
    .option('--dry-run', 'read and validate everything; write nothing', false)
    .option('--strict', 'any bad record aborts before anything is written', false)
    .option(...jsonFlag, false);
}

/** `--year YYYY`: the year an `entries.json` file's MMDD days belong to. */
export function yearArgument(value: string): number {
  if (!/^\d{4}$/.test(value) || Number(value) < 1000) throw new InvalidArgumentError('must be a four-digit year, e.g. 2025');
  return Number(value);
}

/** A `YYYY-MM-DD` calendar date. */
export function dateArgument(value: string): string {
  if (!isHealthDate(value)) throw new InvalidArgumentError('must be a YYYY-MM-DD calendar date');
  return value;
}

/** `--time-zone`: a zone this runtime knows, so that a typo is a usage error before anything is read or written. */
export function timeZoneArgument(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError('must be a known IANA time zone, e.g. Europe/Berlin, America/New_York or UTC');
  return value;
}

/** `--user`: what the tables accept as a user id. */
export function userArgument(value: string): string {
  if (!UserIdSchema.safeParse(value).success) throw new InvalidArgumentError('must be 1..256 characters');
  return value;
}

/** `--json`, as every command takes it: a machine-readable report on stdout. */
export const jsonFlag = ['--json', 'print a machine-readable report on stdout'] as const;
