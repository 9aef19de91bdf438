import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerAccessTokenCommands } from './commands/access-tokens.command.ts';
import type { CommonFlags, Io } from './commands/command-kit.ts';
import { registerEntriesCommands } from './commands/entries.command.ts';
import { registerImportCommands } from './commands/import.command.ts';
import { registerReadingsCommands } from './commands/readings.command.ts';
import { registerRollupsCommands } from './commands/rollups.command.ts';
import { tablesCommand } from './commands/tables.command.ts';
import { formatReport, type Report } from './report/report.ts';
import { withContext } from './runtime/context.ts';
import { UsageError } from './runtime/usage-error.ts';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be an integer >= 1');
  return parsed;
}

/** Runs `vitals-migrate` with `argv` (without node and script); resolves with the exit code: 0 ok, 1 data problems, 2 usage. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const emit = (report: Report, flags: CommonFlags) => {
    if (flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stderr.write(`${formatReport(report)}\n`);
    exitCode = report.exit_code;
  };

  const program = new Command('vitals-migrate')
    .description('Create and update the Vitals tables, and move real exports in with nothing lost.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // A usage error is one line, like every other error of the CLI; the help stays one flag away.
      outputError: (text, write) => write(`vitals-migrate: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
    });

  const tables = program.command('tables').description('compare the table definitions with the endpoint, and create what is missing');
  for (const mode of ['plan', 'apply'] as const) {
    tables
      .command(mode)
      .description(
        mode === 'plan'
          ? 'print what differs (tables, GSIs, TTL, and the settings asked for); writes nothing'
          : 'create what is missing (tables, GSIs, TTL, PITR, deletion protection); running it twice changes nothing the second time',
      )
      .addOption(new Option('--billing-mode <mode>', 'for tables created now').choices(['PAY_PER_REQUEST', 'PROVISIONED']).default('PAY_PER_REQUEST'))
      .option('--read <units>', 'read capacity units (PROVISIONED)', positiveInteger)
      .option('--write <units>', 'write capacity units (PROVISIONED)', positiveInteger)
      .option('--pitr', 'enable point-in-time recovery', false)
      .option('--deletion-protection', 'enable deletion protection', false)
      .option('--dry-run', 'plan only; write nothing', false)
      .option('--json', 'print a machine-readable report on stdout', false)
      .action(async (flags: CommonFlags & { billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED'; read?: number; write?: number; pitr: boolean; deletionProtection: boolean }) => {
        const env = {
          ...io.env,
          ...(flags.read === undefined ? {} : { DYNAMODB_READ_CAPACITY_UNITS: String(flags.read) }),
          ...(flags.write === undefined ? {} : { DYNAMODB_WRITE_CAPACITY_UNITS: String(flags.write) }),
        };
        const report = await withContext(env, ({ db, prefix }) =>
          tablesCommand(db.tables, prefix, {
            apply: mode === 'apply',
            dryRun: flags.dryRun === true,
            billingMode: flags.billingMode,
            pitr: flags.pitr,
            deletionProtection: flags.deletionProtection,
          }),
        );
        if (!flags.json) {
          const steps = (report.details?.['steps'] as string[] | undefined) ?? [];
          io.stderr.write(steps.length === 0 ? 'no changes: the endpoint matches the definitions\n' : '');
          for (const step of steps) io.stderr.write(`${mode === 'plan' || flags.dryRun ? 'would ' : 'did '}${step}\n`);
        }
        emit(report, flags);
      });
  }

  registerImportCommands(program, { io, emit });
  registerEntriesCommands(program, { io, emit });
  registerReadingsCommands(program, { io, emit });
  registerAccessTokenCommands(program, { io, emit });
  registerRollupsCommands(program, { io, emit });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`vitals-migrate: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const hint = /ResourceNotFoundException/.test(message) ? '\n  a table is missing: create the tables first with `tables apply`' : '';
    io.stderr.write(`vitals-migrate: ${message}${hint}\n`);
    return 1;
  }
}
