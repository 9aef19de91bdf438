import { localClock, localDayName, localDayNumber } from '@vitals/models';
import { GlucoseReadingRepository, GlucoseRollupService, UserSettingsRepository } from '@vitals/repositories';
import { finishReport, type Report } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { checkDayRange, dayRangeArguments } from '../runtime/day-range.ts';

/** Days rebuilt per step: one query of readings each; the report names the last finished day, to resume from. */
const STEP_DAYS = 31;

export interface RollupRebuildOptions {
  user: string;
  from?: string;
  to?: string;
  dryRun: boolean;
  progress?: (done: number, total: number) => void;
}


/**
 * Recomputes the user's daily glucose rollups of the local days `from`..`to`
 * (in the user's zone; an open end defaults to the day of their first or
 * last reading) from the readings, a month at a time. Idempotent: a re-run
 * stores the same rollups again, so a killed run is resumed by running it
 * again (from `details.last_day` + 1 to skip what was done).
 */
export async function rebuildRollups(context: MigratorContext, options: RollupRebuildOptions): Promise<Report> {
  const started = performance.now();
  checkDayRange(options);
  const readings = context.container.get(GlucoseReadingRepository);
  const rollups = context.container.get(GlucoseRollupService);
  const { time_zone } = await context.container.get(UserSettingsRepository).get(options.user);
  const clock = localClock(time_zone);
  const edge = async (order: 'asc' | 'desc') => {
    const [reading] = (await readings.listRange(options.user, { order }, { limit: 1 })).items;
    return reading === undefined ? undefined : localDayName(clock.dayOf(Date.parse(reading.timestamp)));
  };
  const from = options.from ?? (await edge('asc'));
  // The day after the last reading holds its last 30 minutes' carry-in.
  const lastReadingDay = options.to === undefined ? await edge('desc') : undefined;
  const to = options.to ?? (lastReadingDay === undefined ? undefined : localDayName(localDayNumber(lastReadingDay) + 1));
  const command = `rollups rebuild --user ${options.user}${dayRangeArguments(options)}`;
  if (from === undefined || to === undefined || from > to) {
    return finishReport({ command, dry_run: options.dryRun, read: 0, written: 0, skipped: [], details: { time_zone, note: 'no readings in that range' } }, started);
  }
  const first = localDayNumber(from);
  const last = localDayNumber(to);
  const total = last - first + 1;
  let written = 0;
  let lastDay: string | undefined;
  if (!options.dryRun) {
    for (let start = first; start <= last; start += STEP_DAYS) {
      const end = Math.min(last, start + STEP_DAYS - 1);
      const { days } = await rollups.rebuildRange(options.user, { from: localDayName(start), to: localDayName(end) });
      written += days.length;
      lastDay = days[days.length - 1];
      options.progress?.(written, total);
    }
  }
  return finishReport(
    { command, dry_run: options.dryRun, read: total, written, skipped: [], details: { time_zone, from, to, last_day: lastDay ?? null } },
    started,
  );
}
