import { z } from 'zod';
import { IsoInstantSchema } from '../common/formats.schema.ts';

const Percent = z.number().min(0).max(100).nullable();
const MaybeNumber = z.number().nullable();
const Minutes = z.number().min(0);

/** Hourly AGP row; percentiles are `null` for an hour without CGM time. */
export const HourlyGlucosePercentilesSchema = z.strictObject({
  hour: z.number().int().min(0).max(23),
  count: z.number().int().min(0).describe('Readings starting in this local hour'),
  minutes: Minutes.describe('Active CGM time in this local hour, summed over the days of the window'),
  p5: MaybeNumber,
  p25: MaybeNumber,
  p50: MaybeNumber,
  p75: MaybeNumber,
  p95: MaybeNumber,
});

const EpisodeSchema = z.strictObject({
  threshold: z.string().describe('The side of the threshold, mg/dL'),
  count: z.number().int().min(0),
  total_minutes: Minutes,
  mean_minutes: z.number().min(0).nullable().describe('null without episodes'),
});

const TargetSchema = z.strictObject({
  figure: z.string(),
  target: z.string().describe('The consensus target, e.g. "> 70 %"'),
  value: MaybeNumber,
  met: z.boolean().nullable().describe('Whether the value meets the target; null only without CGM time'),
});

const StreamSchema = z.strictObject({
  source: z.string().nullable(),
  device_id: z.string().nullable(),
  serial_number: z.string().nullable(),
  count: z.number().int().min(0),
  cadence_minutes: z.number().min(1).max(15).describe('The detected cadence that applied to most of its readings'),
});

/** The result of `glucoseStatistics`; also the shape of the API's stats response. */
export const GlucoseStatisticsSchema = z.strictObject({
  from: IsoInstantSchema,
  to: IsoInstantSchema,
  time_zone: z.string(),
  count: z.number().int().min(0).describe('CGM readings starting in [from, to) (manual readings are not CGM time)'),
  mean: MaybeNumber.describe('Time-weighted mean, mg/dL'),
  sd: MaybeNumber.describe('Time-weighted population standard deviation (÷ total time, not n − 1), mg/dL'),
  sd_definition: z.literal('population').describe('sd divides by the total active time (population), not by n − 1 (sample)'),
  cv: MaybeNumber.describe('Coefficient of variation, percent: sd / mean × 100'),
  gmi: MaybeNumber.describe('Glucose management indicator, percent: 3.31 + 0.02392 × mean; meaningful only when data_sufficiency.sufficient'),
  time_in_ranges: z
    .strictObject({ very_low: Percent, low: Percent, in_range: Percent, high: Percent, very_high: Percent })
    .describe('Percent of active CGM time per range: <54, 54–69, 70–180, 181–250, >250 mg/dL (LOW/HIGH sentinels count below 54 / above 250)'),
  data_sufficiency: z.strictObject({
    percent: z.number().min(0).max(100).describe('Active CGM time ÷ window × 100'),
    active_minutes: Minutes,
    window_minutes: Minutes,
    days: z.number().min(0).describe('The window length in days'),
    sufficient: z.boolean().describe('At least 14 days with at least 70 % active time (Battelino 2019)'),
    reason: z.string().nullable().describe('Why the data fall short of the consensus; null when sufficient'),
  }),
  gri: z
    .strictObject({
      value: MaybeNumber.describe('3 × hypo + 1.6 × hyper component, capped at 100'),
      hypo_component: MaybeNumber.describe('very_low + 0.8 × low (percent of time)'),
      hyper_component: MaybeNumber.describe('very_high + 0.5 × high (percent of time)'),
      zone: z.enum(['A', 'B', 'C', 'D', 'E']).nullable().describe('A 0–20, B 20–40, C 40–60, D 60–80, E 80–100'),
    })
    .describe('Glycemia Risk Index (Klonoff 2023)'),
  lbgi: MaybeNumber.describe('Low blood glucose index (Kovatchev), time-weighted'),
  hbgi: MaybeNumber.describe('High blood glucose index (Kovatchev), time-weighted'),
  episodes: z
    .strictObject({
      hypo_level_1: EpisodeSchema,
      hypo_level_2: EpisodeSchema,
      hyper_level_1: EpisodeSchema,
      hyper_level_2: EpisodeSchema,
    })
    .describe(
      'An episode starts after ≥ 15 consecutive minutes beyond the threshold and ends when glucose has been back for ≥ 15 minutes ' +
        '(or CGM time goes missing); its duration runs from its first to its last minute beyond',
    ),
  targets: z
    .strictObject({
      time_in_range: TargetSchema,
      time_below_range: TargetSchema,
      time_very_low: TargetSchema,
      time_above_range: TargetSchema,
      time_very_high: TargetSchema,
      cv: TargetSchema,
    })
    .describe('The consensus targets: TIR > 70 %, TBR < 4 %, < 54 mg/dL < 1 %, TAR < 25 %, > 250 mg/dL < 5 %, CV ≤ 36 %'),
  streams: z.array(StreamSchema).describe('The device streams (source, device) found, each with its detected cadence'),
  hourly: z.array(HourlyGlucosePercentilesSchema).length(24).describe('AGP: time-weighted percentiles per local hour of day'),
});

export type HourlyGlucosePercentiles = z.infer<typeof HourlyGlucosePercentilesSchema>;
export type GlucoseStatistics = z.infer<typeof GlucoseStatisticsSchema>;
