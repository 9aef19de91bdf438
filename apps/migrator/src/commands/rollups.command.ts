import type { Command } from 'commander';
import { rebuildRollups } from '../rollups/rollups.rebuild.ts';
import { withContext } from '../runtime/context.ts';
import { dateArgument, jsonFlag, userArgument, type CommandKit, type CommonFlags } from './command-kit.ts';

/** `rollups rebuild`: recompute a user's daily glucose rollups from their readings. */
export function registerRollupsCommands(program: Command, kit: CommandKit): void {
  program
    .command('rollups')
    .description('the daily glucose rollups the report reads')
    .command('rebuild')
    .description("recompute a user's daily glucose rollups (local days of their time zone) from the readings; idempotent, so a killed run is simply run again")
    .requiredOption('--user <id>', 'the user', userArgument)
    .option('--from <YYYY-MM-DD>', 'first local day (default: the day of the first reading)', dateArgument)
    .option('--to <YYYY-MM-DD>', 'last local day (default: the day after the last reading)', dateArgument)
    .option('--dry-run', 'say which days would be rebuilt; write nothing', false)
    .option(...jsonFlag, false)
    .action(async (flags: CommonFlags & { user: string; from?: string; to?: string }) => {
      const report = await withContext(kit.io.env, (context) =>
        rebuildRollups(context, { user: flags.user, from: flags.from, to: flags.to, dryRun: flags.dryRun === true }),
      );
      kit.emit(report, flags);
    });
}
