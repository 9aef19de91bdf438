import type { HealthEntry, MedicationIndexItem } from '@vitals/models';
import type { SkippedItem } from '../store/stored-items.ts';

/*
 * The public shapes HealthEntryRepository takes and returns, apart from the
 * class so that its file stays about behaviour.
 */

/** Times of one day, `HHMM`, inclusive at both ends. */
export interface HealthEntryTimeRange {
  /** Default `0000`. */
  from?: string;
  /** Default `2359`. */
  to?: string;
  /** Default ascending (earliest first). */
  order?: 'asc' | 'desc';
}

/** Dates, `YYYY-MM-DD`, inclusive at both ends; either end may be left open. */
export interface HealthEntryDateRange {
  from?: string;
  to?: string;
  /** Default ascending (oldest date first). Within one date the index gives no time order. */
  order?: 'asc' | 'desc';
}

export interface HealthEntryWriteOptions {
  /**
   * The entry as the caller last read it (`null`: the caller expects no
   * entry). The write happens only if the stored entry is still exactly
   * this, else `repository.conflict`. Absent: the repository reads the
   * current entry itself, so only a writer racing within the call conflicts.
   */
  expected?: HealthEntry | null;
}

/** One entry for `HealthEntryRepository.saveMany`: where it goes and what a client would send to `save`. */
export interface HealthEntryWrite {
  date: string;
  time: string;
  input: unknown;
}

/** Everything stored on one date, read strongly consistent. */
export interface HealthDay {
  date: string;
  /** The day's entries, in time order. */
  entries: HealthEntry[];
  /** The medication index items of the day's entries (see README, "Medication index"). */
  medication_index_items: MedicationIndexItem[];
  /** Items of the date that failed their schema (never in strict mode, which throws instead). */
  skipped: SkippedItem[];
}
