import { VitalsError } from '@vitals/dynamodb-core';
import {
  GlucoseStretchMerge,
  MAX_GAP_MS,
  accumulateStretch,
  glucoseReadingEntity,
  glucoseRollupEntity,
  localClock,
  localDayName,
  localDayNumber,
  localDayStart,
  localDaysOf,
  statisticsWindow,
  toGlucoseRollupBody,
  type GlucoseReading,
  type GlucoseRollup,
  type GlucoseRollupBody,
  type GlucoseStatistics,
  type GlucoseStatisticsOptions,
  type GlucoseStretch,
  type LocalClock,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { setTimeout } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { validKey } from '../base/validate.ts';
import { REPOSITORY_TOKENS, type Clock } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { UserSettingsRepository, type EffectiveUserSettings } from '../user-settings/user-settings.repository.ts';

const ENTITY = glucoseRollupEntity.name;
/** Longest run of days rebuilt from one query of readings (bounds memory: a month of 1-minute data is 45,000 readings). */
const RUN_DAYS = 31;
/**
 * Attempts per day when another writer stores the day's rollup between our
 * read of its version and our write. Each lost attempt means another writer
 * stored: with n writers on one day at once, the last may lose n − 1 times.
 */
const REBUILD_ATTEMPTS = 8;
/** Up to this many ms × the attempt, at random, before a lost day is read again: writers that collided spread out. */
const RETRY_JITTER_MS = 10;
/** Days of a run stored at once: each is its own conditional put, so a backfill's month is not 31 round trips in a row. */
const DAYS_AT_ONCE = 8;

interface LocalDay {
  day: number;
  startMs: number;
  endMs: number;
}

/** What storing one day starts from: the run's readings, the day's rollup read before them, what the save knew. */
interface DayStoreStart {
  readings: readonly GlucoseReading[];
  current: GlucoseRollup | undefined;
  outcome?: ReadingsWriteOutcome;
  /** Receives the day's stretch once stored (or found exact). */
  computed?: Map<number, GlucoseStretch>;
}

/** The user's zone, the settings version it came from (0: none saved), and its clock. */
interface Zone {
  timeZone: string;
  settingsVersion: number;
  clock: LocalClock;
}

/** What a readings save knows after its write (`readingsWritten`). */
export interface ReadingsWriteOutcome {
  /** The batch as stored now: its new, changed and unchanged readings. */
  readings: readonly GlucoseReading[];
  /** The newest timestamp stored for the user when the save looked, before its write, or undefined for none. */
  newestBefore: string | undefined;
  /** Whether the save stored any reading (false: every reading was stored already, unchanged). */
  changed: boolean;
}

const byTimestamp = (a: GlucoseReading, b: GlucoseReading) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0);

/** The user's zone as the rollups record it. */
function zoneOf(settings: EffectiveUserSettings): Zone {
  return { timeZone: settings.time_zone, settingsVersion: settings.version ?? 0, clock: localClock(settings.time_zone) };
}

/** `dayNumbers` (ascending) as runs of consecutive days, at most `RUN_DAYS` each (each run's readings are one Query), with their bounds. */
function dayRuns(dayNumbers: readonly number[], clock: LocalClock): LocalDay[][] {
  const runs: number[][] = [];
  for (const day of dayNumbers) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[run.length - 1] === day - 1 && run.length < RUN_DAYS) run.push(day);
    else runs.push([day]);
  }
  return runs.map((run) => run.map((day) => ({ day, startMs: localDayStart(clock, day), endMs: localDayStart(clock, day + 1) })));
}

/** Whether `stored` holds exactly `body`: every number bit for bit, the blobs byte for byte. */
function sameRollupBody(stored: GlucoseRollup, body: GlucoseRollupBody): boolean {
  return (Object.keys(body) as (keyof GlucoseRollupBody)[]).every((name) => {
    const mine = body[name];
    const theirs = stored[name];
    if (mine instanceof Uint8Array) return theirs instanceof Uint8Array && Buffer.compare(mine, theirs) === 0;
    return typeof mine === 'object' ? isDeepStrictEqual(mine, theirs) : Object.is(mine, theirs);
  });
}

/** What a rebuild did. */
export interface RollupRebuildReport {
  /** The local days (`YYYY-MM-DD`) stored, in order. */
  days: string[];
  time_zone: string;
}

/**
 * Daily glucose rollups (`glucose_rollups`, docs/GLUCOSE-REPORT.md): per
 * user and local day of the user's zone, the day's `GlucoseAccumulator`.
 *
 * - **On write** the local days the written (or deleted) timestamps touch —
 *   a timestamp's day, and the next day's when it lies within 30 min of the
 *   next midnight — are recomputed and stored: `GlucoseReadingRepository`
 *   calls `readingsWritten` after every save (with what the save learnt)
 *   and every delete.
 * - **Versioned**: each day's version is read *before* its readings, and the
 *   store is conditional on it; a conflict means another writer stored the
 *   day meanwhile, so the day is read and computed again. The last stored
 *   computation therefore always saw every completed readings write. The
 *   days of a run are stored up to 8 at once (a backfill's month is not 31
 *   round trips in a row); each day's store and retries are its own.
 * - **Readings the save already knows.** When the save's newest-timestamp
 *   Query (before its write) found nothing stored at or after a run of days'
 *   first needed instant (the day's start − 30 min) — a first backfill, or a
 *   backfill of time after everything stored — the run's readings are
 *   exactly the batch, as of that Query, and are neither read again nor are
 *   the versions: the days are taken to have no rollup, and each is stored
 *   on condition that none exists. That is the versioned store with "none"
 *   read before the readings: a rollup is never deleted, so one absent at
 *   the store was absent at the Query. A write by someone else after the
 *   Query stores its own upkeep after its write: before ours, and our
 *   condition fails (the day is read and computed again); after ours, and
 *   its condition fails the same way, or it read the version after our
 *   store and the readings after our write.
 * - **Nothing to store.** When a save changed no reading (a re-run of an
 *   import or sync) and a day computes to exactly the rollup stored at the
 *   version read first, the day is not written: that rollup already holds
 *   every readings write completed before our readings were read, and ours
 *   wrote nothing that a later writer's rollup could miss. A save that
 *   changed a reading always stores (a newer version computed from older
 *   readings could otherwise be left in place).
 * - **The report** (`report`) reads whole local days from rollups and only
 *   the partial first and last days from readings, then merges; a whole day
 *   without a rollup in the zone asked for is computed from readings (and,
 *   in the user's own zone, stored: the table fills itself).
 */
@injectable()
export class GlucoseRollupService {
  private readonly rollups: EntityStore<GlucoseRollup>;
  private readonly readings: EntityStore<GlucoseReading>;

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(UserSettingsRepository) private readonly settings: UserSettingsRepository,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.rollups = stores.for(glucoseRollupEntity, { component: 'GlucoseRollupService' });
    this.readings = stores.for(glucoseReadingEntity, { component: 'GlucoseRollupService' });
  }

  /**
   * Keeps the rollups of the days `timestamps` touch current after readings
   * at them were written or deleted. `outcome`, from a save, spares the
   * readings and versions Queries when the save found nothing stored from
   * the days' first needed instant on, and the puts when a no-op save finds
   * a day already exact.
   */
  async readingsWritten(userId: string, timestamps: readonly string[], outcome?: ReadingsWriteOutcome): Promise<void> {
    if (timestamps.length === 0) return;
    // A zone up to a minute old will do: a rollup of an older settings version is not trusted by a report.
    const zone = zoneOf(await this.settings.get(userId, { cached: true }));
    const days = new Set<number>();
    for (const timestamp of timestamps) {
      const ms = Date.parse(timestamp);
      const last = zone.clock.dayOf(ms + MAX_GAP_MS);
      for (let day = zone.clock.dayOf(ms); day <= last; day += 1) days.add(day);
    }
    for (const run of dayRuns([...days].sort((a, b) => a - b), zone.clock)) await this.storeRun(userId, zone, run, outcome);
  }

  /**
   * Recomputes and stores the user's rollups of the local days (`YYYY-MM-DD`,
   * both included) in the user's zone; idempotent. The migrator's
   * `rollups rebuild` runs it a month at a time.
   */
  async rebuildRange(userId: string, range: { from: string; to: string }): Promise<RollupRebuildReport> {
    validKey(ENTITY, () => glucoseRollupEntity.key({ user_id: userId, day: range.from }));
    validKey(ENTITY, () => glucoseRollupEntity.key({ user_id: userId, day: range.to }));
    const zone = zoneOf(await this.settings.get(userId));
    const first = localDayNumber(range.from);
    const last = localDayNumber(range.to);
    const days: number[] = [];
    for (let day = first; day <= last; day += 1) days.push(day);
    await this.rebuildDays(userId, days, zone);
    return { days: days.map(localDayName), time_zone: zone.timeZone };
  }

  /**
   * The glucose report of [from, to) in `timeZone` (default the user's):
   * equal to `glucoseStatistics` over the raw readings (relative 1e-9).
   */
  async report(userId: string, options: GlucoseStatisticsOptions): Promise<GlucoseStatistics> {
    const { fromMs, toMs } = statisticsWindow(options);
    const user = await this.settings.get(userId);
    const timeZone = options.timeZone ?? user.time_zone;
    const clock = localClock(timeZone);
    const days = localDaysOf(clock, fromMs, toMs);
    const whole = days.filter((day) => day.startMs >= fromMs && day.endMs <= toMs);
    const merge = new GlucoseStretchMerge();
    const firstWhole = whole[0];
    const lastWhole = whole[whole.length - 1];
    if (firstWhole === undefined || lastWhole === undefined) {
      merge.addStretch(accumulateStretch(await this.readRaw(userId, fromMs, toMs), fromMs, toMs, clock));
    } else {
      if (fromMs < firstWhole.startMs) {
        merge.addStretch(accumulateStretch(await this.readRaw(userId, fromMs, firstWhole.startMs), fromMs, firstWhole.startMs, clock));
      }
      if (timeZone === user.time_zone) await this.addWholeDays(merge, userId, whole, zoneOf(user));
      else for (const run of dayRuns(whole.map((day) => day.day), clock)) await this.addFromReadings(merge, userId, run, clock);
      if (lastWhole.endMs < toMs) {
        merge.addStretch(accumulateStretch(await this.readRaw(userId, lastWhole.endMs, toMs), lastWhole.endMs, toMs, clock));
      }
    }
    return merge.report({ ...options, timeZone });
  }

  /**
   * Adds whole local days of the user's zone to `merge`, in order: from
   * their rollups when made in that zone at the user's current settings
   * version; any other day is computed from readings and stored.
   */
  private async addWholeDays(merge: GlucoseStretchMerge, userId: string, days: readonly LocalDay[], zone: Zone): Promise<void> {
    const stored = await this.storedRollups(userId, days, false);
    const trusted = (rollup: GlucoseRollup | undefined) => rollup?.time_zone === zone.timeZone && rollup.settings_version === zone.settingsVersion;
    const missing = days.filter((day) => !trusted(stored.get(localDayName(day.day))));
    const computed = new Map<number, GlucoseStretch>();
    if (missing.length > 0) await this.rebuildDays(userId, missing.map((day) => day.day), zone, computed);
    for (const day of days) {
      const fresh = computed.get(day.day);
      if (fresh === undefined) merge.addRollup(stored.get(localDayName(day.day)) as GlucoseRollup);
      else merge.addStretch(fresh);
    }
  }

  /**
   * Recomputes `dayNumbers` (ascending) in `timeZone` and stores each,
   * conditional on the version read before the readings; a day that lost
   * the race is read and computed again. `computed` receives the stretches.
   */
  private async rebuildDays(userId: string, dayNumbers: readonly number[], zone: Zone, computed?: Map<number, GlucoseStretch>): Promise<void> {
    for (const run of dayRuns(dayNumbers, zone.clock)) await this.storeRun(userId, zone, run, undefined, computed);
  }

  /** Adds consecutive whole days of another zone than the user's to `merge`, from their readings (one Query; no rollup read or stored). */
  private async addFromReadings(merge: GlucoseStretchMerge, userId: string, days: readonly LocalDay[], clock: LocalClock): Promise<void> {
    const readings = await this.readRaw(userId, (days[0] as LocalDay).startMs, (days[days.length - 1] as LocalDay).endMs);
    for (const day of days) merge.addStretch(accumulateStretch(readings, day.startMs, day.endMs, clock));
  }

  /**
   * Computes and stores one run of consecutive days: versions, then
   * readings, then each day's store on the version read (see the class
   * comment, also for a run the save `outcome` knows in full).
   */
  private async storeRun(userId: string, zone: Zone, days: readonly LocalDay[], outcome?: ReadingsWriteOutcome, computed?: Map<number, GlucoseStretch>): Promise<void> {
    const first = days[0] as LocalDay;
    const last = days[days.length - 1] as LocalDay;
    // The save's newest-timestamp Query, before its write, found nothing from this run's first needed instant on.
    const known = outcome !== undefined && (outcome.newestBefore === undefined || outcome.newestBefore < new Date(first.startMs - MAX_GAP_MS).toISOString());
    const stored = known ? new Map<string, GlucoseRollup>() : await this.storedRollups(userId, days, true);
    // In the order a Query gives them: a day's streams are listed in order of first appearance.
    const readings = known ? [...outcome.readings].sort(byTimestamp) : await this.readRaw(userId, first.startMs, last.endMs);
    for (let start = 0; start < days.length; start += DAYS_AT_ONCE) {
      const batch = days.slice(start, start + DAYS_AT_ONCE);
      // Every day of the batch settles before a failure is thrown: no put outlives the call that made it.
      const settled = await Promise.allSettled(batch.map((day) => this.storeDay(userId, zone, day, { readings, current: stored.get(localDayName(day.day)), outcome, computed })));
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  }

  /**
   * Computes one day from `readings` and stores it over `current` (the
   * version read before the readings; undefined: none); a lost race reads
   * the day's version and readings again, up to `REBUILD_ATTEMPTS` times.
   */
  private async storeDay(
    userId: string,
    zone: Zone,
    day: LocalDay,
    given: DayStoreStart,
  ): Promise<void> {
    const { outcome, computed } = given;
    let { current, readings } = given;
    for (let attempt = 1; ; attempt += 1) {
      const stretch = accumulateStretch(readings, day.startMs, day.endMs, zone.clock);
      const body = toGlucoseRollupBody(stretch, { ...day, timeZone: zone.timeZone, settingsVersion: zone.settingsVersion });
      if (attempt === 1 && outcome?.changed === false && current !== undefined && sameRollupBody(current, body)) {
        computed?.set(day.day, stretch);
        return;
      }
      const rollup: GlucoseRollup = { user_id: userId, ...body, version: (current?.version ?? 0) + 1, updated_at: this.clock.now().toISOString() };
      try {
        await this.rollups.putVersioned(rollup, current?.version ?? 'new');
        computed?.set(day.day, stretch);
        return;
      } catch (error) {
        if (!VitalsError.is(error, 'repository.conflict') || attempt >= REBUILD_ATTEMPTS) throw error;
        await setTimeout(Math.random() * RETRY_JITTER_MS * attempt);
        current = await this.rollups.get({ user_id: userId, day: rollup.day }, { consistentRead: true });
        readings = await this.readRaw(userId, day.startMs, day.endMs);
      }
    }
  }

  /** The stored rollups of `days` (consecutive), by day name. */
  private async storedRollups(userId: string, days: readonly LocalDay[], consistentRead: boolean): Promise<Map<string, GlucoseRollup>> {
    const first = localDayName((days[0] as LocalDay).day);
    const last = localDayName((days[days.length - 1] as LocalDay).day);
    const found = new Map<string, GlucoseRollup>();
    for await (const rollup of this.rollups.queryAll({ partition: userId, sort: { between: [first, last] }, consistentRead })) {
      found.set(rollup.day, rollup);
    }
    return found;
  }

  /** The readings a stretch [fromMs, toMs) needs: from 30 min before it (strongly consistent). */
  private async readRaw(userId: string, fromMs: number, toMs: number): Promise<GlucoseReading[]> {
    const from = new Date(fromMs - MAX_GAP_MS).toISOString();
    const to = new Date(toMs - 1).toISOString();
    const readings: GlucoseReading[] = [];
    for await (const reading of this.readings.queryAll({ partition: userId, sort: { between: [from, to] }, consistentRead: true })) readings.push(reading);
    return readings;
  }
}
