import {
  GLUCOSE_HIGH_SENTINEL,
  GLUCOSE_LOW_SENTINEL,
  GlucoseReadingInputSchema,
  MGDL_PER_MMOLL,
  mmolToMgdl,
  readingTimeProblem,
  trendFromDexcom,
  type DexcomReadingDetails,
  type GlucoseReadingInput,
  type OutOfRange,
} from '@vitals/models';
import type { EgvRecord } from './dexcom-responses.schema.ts';
import { dexcomTimeToIso } from './dexcom-time.ts';
import { issueLines } from './egv-records.ts';

/** Dexcom's sensors report 40..400 mg/dL; below is LOW, above is HIGH. */
export const SENSOR_RANGE_MGDL = { low: 40, high: 400 } as const;

/** A record that could not become a reading: its id and why. */
export interface SkippedEgvRecord {
  record_id: string;
  reason: string;
}

export type EgvMapping = { ok: true; input: GlucoseReadingInput } | { ok: false; skipped: SkippedEgvRecord };

export interface EgvMappingOptions {
  /** When given, a reading dated more than 24 h after `now` is skipped (the repositories refuse it too). */
  now?: Date;
}

type Glucose = { glucose_value: number; out_of_range?: OutOfRange };

/**
 * The stored value of a record, in mg/dL: a sensor LOW (`status` `low`, or a
 * value below 40) is 39 with `out_of_range: 'low'`, a HIGH (`high`, above
 * 400) 401 with `'high'`, as the Clarity import stores them. `unit`
 * `mmol/L` is converted; `unknown` is read as mg/dL, the unit Dexcom
 * measures in. No value and no LOW/HIGH, or both LOW and HIGH, is a reason.
 */
function glucoseOf(record: EgvRecord): Glucose | string {
  const mgdl = record.value === null ? null : record.unit === 'mmol/L' ? mmolToMgdl(record.value) : record.value;
  const low = record.status === 'low' || (mgdl !== null && mgdl < SENSOR_RANGE_MGDL.low);
  const high = record.status === 'high' || (mgdl !== null && mgdl > SENSOR_RANGE_MGDL.high);
  if (low && high) return `status ${record.status} contradicts value ${record.value} ${record.unit}`;
  if (low) return { glucose_value: GLUCOSE_LOW_SENTINEL, out_of_range: 'low' };
  if (high) return { glucose_value: GLUCOSE_HIGH_SENTINEL, out_of_range: 'high' };
  if (mgdl === null) return `no glucose value (status ${record.status ?? 'null'})`;
  return { glucose_value: mgdl };
}

/**
 * The rate in mg/dL/min (to two decimals when converted from mmol/L/min;
 * `unknown` is read as mg/dL/min), or undefined when Dexcom sent none. A
 * rate beyond ±`TREND_RATE_LIMIT` is kept here so the schema refuses it.
 */
function trendRateOf(record: EgvRecord): number | undefined {
  if (record.trendRate === null) return undefined;
  return record.rateUnit === 'mmol/L/min' ? Math.round(record.trendRate * MGDL_PER_MMOLL * 100) / 100 : record.trendRate;
}

function dexcomDetailsOf(record: EgvRecord): DexcomReadingDetails {
  const trend_rate = trendRateOf(record);
  return {
    record_id: record.recordId,
    ...(record.trend === null ? {} : { trend: record.trend }),
    ...(trend_rate === undefined ? {} : { trend_rate }),
    transmitter_generation: record.transmitterGeneration,
    ...(record.displayDevice === '' ? {} : { display_device: record.displayDevice }),
  };
}

/**
 * One EGV record as a glucose reading input, validated by
 * `GlucoseReadingInputSchema` (the only validation a reading gets before
 * the repository): `systemTime` → UTC `timestamp`; the value (or LOW/HIGH)
 * as {@link glucoseOf} says; `trend` → `trend_direction`; `device_info`
 * from `displayDevice` (the device id) and `transmitterId` (the serial
 * number and transmitter id; the display device when there is none);
 * `source` `dexcom`, `reading_type` `CGM`; and `dexcom` with the record
 * id, trend word, rate, generation and display device. A record that cannot
 * be a reading is a skip with its reason, never an exception.
 */
export function egvToReadingInput(record: EgvRecord, options: EgvMappingOptions = {}): EgvMapping {
  const skip = (reason: string): EgvMapping => ({ ok: false, skipped: { record_id: record.recordId, reason } });
  const timestamp = dexcomTimeToIso(record.systemTime);
  if (timestamp === undefined) return skip('systemTime: is not a date-time');
  const glucose = glucoseOf(record);
  if (typeof glucose === 'string') return skip(glucose);
  const device = record.displayDevice === '' ? 'dexcom' : record.displayDevice;
  const transmitter = record.transmitterId === null || record.transmitterId === '' ? undefined : record.transmitterId;
  const parsed = GlucoseReadingInputSchema.safeParse({
    timestamp,
    ...glucose,
    glucose_unit: 'mg/dL',
    trend_direction: trendFromDexcom(record.trend),
    device_info: { device_id: device, serial_number: transmitter ?? device, ...(transmitter === undefined ? {} : { transmitter_id: transmitter }) },
    reading_type: 'CGM',
    source: 'dexcom',
    dexcom: dexcomDetailsOf(record),
  });
  if (!parsed.success) return skip(issueLines(parsed.error.issues).join('; '));
  if (options.now !== undefined) {
    const problem = readingTimeProblem(parsed.data.timestamp, options.now);
    if (problem !== undefined) return skip(`timestamp: ${problem}`);
  }
  return { ok: true, input: parsed.data };
}

export interface EgvReadingInputs {
  inputs: GlucoseReadingInput[];
  skipped: SkippedEgvRecord[];
}

/** Every record mapped by {@link egvToReadingInput}: the inputs in order, and the skips. */
export function egvsToReadingInputs(records: readonly EgvRecord[], options: EgvMappingOptions = {}): EgvReadingInputs {
  const inputs: GlucoseReadingInput[] = [];
  const skipped: SkippedEgvRecord[] = [];
  for (const record of records) {
    const mapped = egvToReadingInput(record, options);
    if (mapped.ok) inputs.push(mapped.input);
    else skipped.push(mapped.skipped);
  }
  return { inputs, skipped };
}
