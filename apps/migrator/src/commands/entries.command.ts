import type { Command } from 'commander';
import { assertJsonFile } from '../entries/entries-file.ts';
import { exportEntries } from '../entries/entries.exporter.ts';
import { verifyEntries } from '../entries/entries.verifier.ts';
import { reindexMedications } from '../entries/medication-reindex.ts';
import { rebuildSummaries } from '../entries/summaries.rebuild.ts';
import { createProgress } from '../report/progress.ts';
import { withContext } from '../runtime/context.ts';
import { dateArgument, jsonFlag, withCommonFlags, yearArgument, type CommandKit, type CommonFlags } from './command-kit.ts';


/**
 * `verify entries`, `export entries`, `summaries rebuild` and `entries
 * reindex`. Verify never writes and fails on any bad record anyway, so of
 * the common flags it takes only --json; export and rebuild take all three;
 * reindex takes --dry-run and --json (it never reads a file).
 */
export function registerEntriesCommands(program: Command, kit: CommandKit): void {
  program
    .command('verify')
    .description('compare a file with the tables')
    .command('entries')
    .description('exit 0 when the tables hold exactly the file\'s entries (with their medication index items and right daily summaries), else 1 listing each difference')
    .argument('<file>', 'the entries.json file')
    .requiredOption('--year <YYYY>', 'the year its MMDD days belong to', yearArgument)
    .option(...jsonFlag, false)
    .action(async (file: string, flags: CommonFlags & { year: number }) => {
      await assertJsonFile(file);
      kit.emit(await withContext(kit.io.env, (context) => verifyEntries(context, file, { year: flags.year })), flags);
    });

  withCommonFlags(
    program
      .command('export')
      .description('write the tables back out as a file')
      .command('entries')
      .description('the year\'s health entries in the entries.json shape; import → export reproduces the file\'s data')
      .requiredOption('--year <YYYY>', 'the year to export', yearArgument)
      .requiredOption('--out <file>', 'where to write it (replaced only once complete)'),
  ).action(async (flags: CommonFlags & { year: number; out: string }) => {
    const progress = createProgress('export entries', kit.io.stderr as NodeJS.WriteStream, !flags.json);
    const report = await withContext(kit.io.env, (context) =>
      exportEntries(context, { year: flags.year, out: flags.out, dryRun: flags.dryRun === true, strict: flags.strict === true, progress }),
    );
    kit.emit(report, flags);
  });

  withCommonFlags(
    program
      .command('summaries')
      .description('the daily summaries of the health log')
      .command('rebuild')
      .description('recompute daily summaries from the entries; without bounds, from the first to the last stored date')
      .option('--from <YYYY-MM-DD>', 'first day (default: the first stored date)', dateArgument)
      .option('--to <YYYY-MM-DD>', 'last day (default: the last stored date)', dateArgument),
  ).action(async (flags: CommonFlags & { from?: string; to?: string }) => {
    const report = await withContext(kit.io.env, (context) =>
      rebuildSummaries(context, { from: flags.from, to: flags.to, dryRun: flags.dryRun === true, strict: flags.strict === true }),
    );
    kit.emit(report, flags);
  });

  program
    .command('entries')
    .description('maintenance of the stored health log')
    .command('reindex')
    .description('write the medication index items stored entries lack (lower-case items for case-insensitive queries, for entries stored before them)')
    .option('--from <YYYY-MM-DD>', 'first day (default: the first stored date)', dateArgument)
    .option('--to <YYYY-MM-DD>', 'last day (default: the last stored date)', dateArgument)
    .option('--dry-run', 'list what is missing, write nothing', false)
    .option(...jsonFlag, false)
    .action(async (flags: CommonFlags & { from?: string; to?: string }) => {
      const report = await withContext(kit.io.env, (context) =>
        reindexMedications(context, { from: flags.from, to: flags.to, dryRun: flags.dryRun === true }),
      );
      kit.emit(report, flags);
    });
}
