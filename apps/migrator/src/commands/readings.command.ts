import type { Command } from 'commander';
import { backfillSrvModified } from '../readings/srv-modified.backfill.ts';
import { withContext } from '../runtime/context.ts';
import { jsonFlag, type CommandKit, type CommonFlags } from './command-kit.ts';

/** `readings backfill-srv-modified`: what the readings' change feed needs of readings stored before it. */
export function registerReadingsCommands(program: Command, kit: CommandKit): void {
  program
    .command('readings')
    .description('the glucose readings table')
    .command('backfill-srv-modified')
    .description(
      'give readings stored before the change feed their srv_modified (from updated_at), so the feed serves them; ' +
        'idempotent: a killed run is finished by running it again',
    )
    .option('--dry-run', 'count what would be stamped; write nothing', false)
    .option(...jsonFlag, false)
    .action(async (flags: CommonFlags) => {
      kit.emit(await withContext(kit.io.env, (context) => backfillSrvModified(context, { dryRun: flags.dryRun === true })), flags);
    });
}
