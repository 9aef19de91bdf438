import type { Command } from 'commander';
import { assertJsonFile } from '../entries/entries-file.ts';
import { importEntries } from '../entries/entries.importer.ts';
import { assertClarityFile } from '../importers/clarity-file.ts';
import { importClarity } from '../importers/clarity.importer.ts';
import { createProgress } from '../report/progress.ts';
import { withContext } from '../runtime/context.ts';
import { timeZoneArgument, userArgument, withCommonFlags, yearArgument, type CommandKit, type CommonFlags } from './command-kit.ts';

/**
 * `import entries <file> --year YYYY`: the health log's entries.json → health entries and daily summaries.
 * `import clarity <file> --user ID`: a Dexcom Clarity CSV export → glucose readings.
 */
export function registerImportCommands(program: Command, kit: CommandKit): void {
  const group = program.command('import').description('move a real export into the tables (streamed, idempotent, resumable)');
  withCommonFlags(
    group
      .command('entries')
      .description('the health log\'s entries.json ({MMDD: {HHMM: entry}}) → health entries and daily summaries; re-importing adds nothing')
      .argument('<file>', 'the entries.json file')
      .requiredOption('--year <YYYY>', 'the year its MMDD days belong to', yearArgument),
  ).action(async (file: string, flags: CommonFlags & { year: number }) => {
    await assertJsonFile(file);
    const report = await withContext(kit.io.env, (context) =>
      importEntries(context, file, {
        year: flags.year,
        dryRun: flags.dryRun === true,
        strict: flags.strict === true,
        progress: createProgress('import entries', kit.io.stderr as NodeJS.WriteStream, !flags.json),
      }),
    );
    kit.emit(report, flags);
  });
  withCommonFlags(
    group
      .command('clarity')
      .description('a Dexcom Clarity CSV export (mg/dL or mmol/L) → glucose readings of one user; re-importing adds nothing')
      .argument('<file>', 'the CSV export')
      .requiredOption('--user <id>', 'the user the readings belong to', userArgument)
      .option('--time-zone <zone>', 'IANA time zone of the export\'s local timestamps', timeZoneArgument, 'UTC'),
  ).action(async (file: string, flags: CommonFlags & { user: string; timeZone: string }) => {
    // Every usage error (missing file, not a Clarity export) before connecting to anything.
    await assertClarityFile(file);
    const report = await withContext(kit.io.env, (context) =>
      importClarity(context, file, {
        userId: flags.user,
        timeZone: flags.timeZone,
        dryRun: flags.dryRun === true,
        strict: flags.strict === true,
        progress: createProgress('import clarity', kit.io.stderr as NodeJS.WriteStream, !flags.json),
      }),
    );
    kit.emit(report, flags);
  });
}
