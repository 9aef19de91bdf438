import type { EnvLike } from '@vitals/dynamodb-core';
import type { Command } from 'commander';
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
    .option('--json', 'print a machine-readable report on stdout', false);
}
