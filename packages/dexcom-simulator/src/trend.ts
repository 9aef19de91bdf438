import { unit } from './seeded-random.ts';
import type { ReadingSlot } from './sensor-sessions.ts';

/** The `trend` values Dexcom API v3 documents for egvs. */
export const TRENDS = [
  'none',
  'unknown',
  'doubleUp',
  'singleUp',
  'fortyFiveUp',
  'flat',
  'fortyFiveDown',
  'singleDown',
  'doubleDown',
  'notComputable',
  'rateOutOfRange',
] as const;

export type Trend = (typeof TRENDS)[number];

/** Beyond this rate (mg/dL/min) the simulated sensor reports `rateOutOfRange` instead of an arrow. */
export const RATE_OUT_OF_RANGE = 5;

/**
 * The trend and trend rate a reading reports. The arrows follow the usual CGM
 * bands (flat within ±1 mg/dL/min, 45° within ±2, single within ±3, double
 * beyond); the first reading of a sensor is `none`, the next two, and the
 * first three after a signal loss, `notComputable`; a few readings report
 * `unknown` or no trend at all (null), and a few an arrow without a rate.
 */
export function trendOf(slot: ReadingSlot, rate: number, seed: string): { trend: Trend | null; trendRate: number | null } {
  const key = `${slot.session.index}:${slot.n}`;
  if (slot.n === 0) return { trend: 'none', trendRate: null };
  if (slot.sinceGap <= 2) return { trend: 'notComputable', trendRate: null };
  const draw = unit(seed, key, 'trend-glitch');
  if (draw < 0.004) return { trend: null, trendRate: null };
  if (draw < 0.008) return { trend: 'unknown', trendRate: null };
  if (Math.abs(rate) > RATE_OUT_OF_RANGE) return { trend: 'rateOutOfRange', trendRate: null };
  // `|| 0`: no -0, which JSON would write as 0 anyway.
  const trendRate = draw > 0.99 ? null : Math.round(rate * 10) / 10 || 0;
  return { trend: arrowFor(rate), trendRate };
}

function arrowFor(rate: number): Trend {
  if (rate >= 3) return 'doubleUp';
  if (rate >= 2) return 'singleUp';
  if (rate >= 1) return 'fortyFiveUp';
  if (rate > -1) return 'flat';
  if (rate > -2) return 'fortyFiveDown';
  if (rate > -3) return 'singleDown';
  return 'doubleDown';
}
