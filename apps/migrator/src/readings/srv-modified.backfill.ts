import { GlucoseReadingRepository } from '@vitals/repositories';
import { finishReport, type Report, type Skipped } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';
import { InFlight } from '../runtime/in-flight.ts';

/** Conditional updates in flight at once. */
const UPDATES_IN_FLIGHT = 16;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface BackfillOptions {
  dryRun: boolean;
}

/**
 * Gives readings stored before the change feed their `srv_modified`, from
 * `updated_at` (when they last changed), so that the feed's index holds
 * them. One Scan of the readings table; each update is conditional on the
 * attribute still being absent and the reading still existing, so a
 * reading written meanwhile keeps its own stamp, a deleted one is not
 * recreated, and a run killed partway is finished by running it again
 * (already stamped readings are skipped by the Scan). A dry run counts what
 * it would stamp.
 */
export async function backfillSrvModified(context: MigratorContext, options: BackfillOptions): Promise<Report> {
  const started = performance.now();
  const readings = context.container.get(GlucoseReadingRepository);
  const skipped: Skipped[] = [];
  let read = 0;
  let written = 0;
  let stampedMeanwhile = 0;
  const inFlight = new InFlight(UPDATES_IN_FLIGHT);
  try {
    for await (const reading of readings.unstampedReadings()) {
      read++;
      const where = `${reading.user_id}/${reading.timestamp}`;
      const updatedAt = typeof reading.updated_at === 'string' && ISO_INSTANT.test(reading.updated_at) ? Date.parse(reading.updated_at) : Number.NaN;
      if (!Number.isFinite(updatedAt)) {
        skipped.push({ where, reason: `updated_at is not an instant (${JSON.stringify(reading.updated_at)}): not stamped` });
        continue;
      }
      if (options.dryRun) continue;
      await inFlight.add(async () => {
        if (await readings.stampUnstamped(reading.user_id, reading.timestamp, updatedAt)) written++;
        else stampedMeanwhile++;
      });
    }
    await inFlight.drain();
  } finally {
    await inFlight.settle();
  }
  return finishReport(
    {
      command: 'readings backfill-srv-modified',
      dry_run: options.dryRun,
      read,
      written,
      skipped,
      details: { would_stamp: options.dryRun ? read - skipped.length : undefined, stamped_meanwhile: stampedMeanwhile },
      exit_code: skipped.length > 0 ? 1 : 0,
    },
    started,
  );
}
