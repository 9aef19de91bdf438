import { zoneOffsetMinutes } from './dexcom-time.ts';
import { between, unit } from './seeded-random.ts';

/**
 * The simulated person's true glucose (mg/dL) as a smooth function of time,
 * the same for every caller: a baseline, a slow drift, the dawn rise, meals in
 * the person's local time, and now and then a hypoglycaemia (followed by fast
 * rescue carbohydrate) or a hyperglycaemia (a missed bolus, then a
 * correction). Everything is planned per local day from the person's seed, so
 * any instant is computed on its own.
 *
 * Rates, for the trend arrows (mg/dL/min): meals rise at up to about 4;
 * highs rise at up to about 4.5 and fall at up to about 6; rescue
 * carbohydrate after a low rises at 4 to 8 (beyond 5 the sensor reports
 * "rate out of range"); lows fall at 1 to 3.
 */

export interface GlucosePersona {
  seed: string;
  timeZone: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const FLOOR_MG_DL = 25;

/** A meal's glucose response: up to `amplitude` at `peakMs` after `at`, then a small insulin dip. */
interface Meal {
  at: number;
  amplitude: number;
  peakMs: number;
}

/** A bell-shaped excursion: `height` (negative for a low) at `at`, of width `sigmaMs` (`fallSigmaMs` after the peak, if it differs). */
interface Bump {
  at: number;
  height: number;
  sigmaMs: number;
  fallSigmaMs?: number;
}

interface Plan {
  meals: Meal[];
  bumps: Bump[];
}

const regularPlans = new Map<string, Plan>();
const eventPlans = new Map<string, Plan>();

/** True glucose at an instant, mg/dL, unrounded. */
export function glucoseAt(persona: GlucosePersona, time: number): number {
  const day = localDay(persona.timeZone, time);
  let glucose = regularGlucose(persona, time, day);
  for (let d = day - 1; d <= day + 1; d++) glucose += contribution(eventPlan(persona, d), time);
  return Math.max(FLOOR_MG_DL, glucose);
}

/** The rate of change over the last 10 minutes, mg/dL/min, given the glucose now: what a CGM's trend arrow reports. */
export function glucoseRate(persona: GlucosePersona, time: number, glucoseNow = glucoseAt(persona, time)): number {
  return (glucoseNow - glucoseAt(persona, time - 10 * MINUTE)) / 10;
}

/** What stays the same for a person all along, drawn once per seed. */
interface Traits {
  baseline: number;
  variability: number;
  dawnHeight: number;
  waves: { angularSpeed: number; phase: number; amplitude: number }[];
}

const traitsBySeed = new Map<string, Traits>();

function traitsOf(seed: string): Traits {
  let traits = traitsBySeed.get(seed);
  if (!traits) {
    traits = {
      baseline: between(100, 130, seed, 'baseline'),
      variability: between(0.75, 1.3, seed, 'variability'),
      dawnHeight: between(5, 25, seed, 'dawn-height'),
      // Slow drift: three waves of periods and phases of the person's own.
      waves: [5.3, 11.7, 29].map((hours, i) => ({
        angularSpeed: (2 * Math.PI) / (hours * between(0.8, 1.2, seed, 'drift-period', i) * 60 * MINUTE),
        phase: unit(seed, 'drift-phase', i) * 2 * Math.PI,
        amplitude: between(4, 10, seed, 'drift-amplitude', i),
      })),
    };
    if (traitsBySeed.size > 100_000) traitsBySeed.clear();
    traitsBySeed.set(seed, traits);
  }
  return traits;
}

function regularGlucose(persona: GlucosePersona, time: number, day: number): number {
  const traits = traitsOf(persona.seed);
  let glucose = traits.baseline;
  for (const wave of traits.waves) glucose += wave.amplitude * Math.sin(wave.angularSpeed * time + wave.phase);
  for (let d = day - 1; d <= day + 1; d++) glucose += contribution(regularPlan(persona, d), time);
  return glucose;
}

function contribution(plan: Plan, time: number): number {
  let sum = 0;
  for (const meal of plan.meals) sum += mealResponse(meal, time);
  for (const bump of plan.bumps) {
    const z = (time - bump.at) / (time > bump.at ? (bump.fallSigmaMs ?? bump.sigmaMs) : bump.sigmaMs);
    if (Math.abs(z) < 6) sum += bump.height * Math.exp(-(z * z) / 2);
  }
  return sum;
}

function mealResponse(meal: Meal, time: number): number {
  const tau = time - meal.at;
  if (tau <= 0) return 0;
  const x = tau / meal.peakMs;
  const y = tau / (2.6 * meal.peakMs);
  return meal.amplitude * (x * x * Math.exp(2 * (1 - x)) - 0.18 * y * y * Math.exp(2 * (1 - y)));
}

/** Meals and the dawn rise of one local day (day number = local days since 1970-01-01). */
function regularPlan(persona: GlucosePersona, day: number): Plan {
  const key = `${persona.seed}|${persona.timeZone}|${day}`;
  const cached = regularPlans.get(key);
  if (cached) return cached;
  const { seed, timeZone } = persona;
  const { variability, dawnHeight } = traitsOf(seed);
  const meals: Meal[] = [];
  const schedule: [name: string, chance: number, from: number, to: number, min: number, max: number][] = [
    ['breakfast', 0.85, 420, 510, 45, 100],
    ['lunch', 0.9, 720, 810, 35, 90],
    ['snack', 0.45, 930, 990, 15, 40],
    ['dinner', 0.95, 1110, 1200, 45, 105],
  ];
  for (const [name, chance, from, to, min, max] of schedule) {
    if (unit(seed, day, name) >= chance) continue;
    meals.push({
      at: localInstant(timeZone, day, between(from, to, seed, day, name, 'time')),
      amplitude: Math.min(110, between(min, max, seed, day, name, 'size') * variability),
      peakMs: between(45, 75, seed, day, name, 'peak') * MINUTE,
    });
  }
  const dawn: Bump = {
    at: localInstant(timeZone, day, between(360, 420, seed, day, 'dawn')),
    height: dawnHeight,
    sigmaMs: 80 * MINUTE,
  };
  return remember(regularPlans, key, { meals, bumps: [dawn] });
}

/** The lows (with their rescue carbohydrate) and highs of one local day, sized against the regular curve. */
function eventPlan(persona: GlucosePersona, day: number): Plan {
  const key = `${persona.seed}|${persona.timeZone}|${day}`;
  const cached = eventPlans.get(key);
  if (cached) return cached;
  const { seed, timeZone } = persona;
  const { variability } = traitsOf(seed);
  const plan: Plan = { meals: [], bumps: [] };
  if (unit(seed, day, 'low') < 0.25 * variability) {
    const atNight = unit(seed, day, 'low-at-night') < 0.55;
    const at = localInstant(timeZone, day, atNight ? between(60, 300, seed, day, 'low-time') : between(840, 1080, seed, day, 'low-time'));
    const nadir = between(28, 62, seed, day, 'low-nadir');
    const depth = Math.max(20, regularGlucose(persona, at, localDay(timeZone, at)) - nadir);
    plan.bumps.push({ at, height: -depth, sigmaMs: between(25, 45, seed, day, 'low-width') * MINUTE });
    plan.meals.push({
      at: at + between(10, 20, seed, day, 'rescue-time') * MINUTE,
      amplitude: between(50, 75, seed, day, 'rescue-size'),
      peakMs: between(20, 25, seed, day, 'rescue-peak') * MINUTE,
    });
  }
  if (unit(seed, day, 'high') < 0.2 * variability) {
    const at = localInstant(timeZone, day, between(600, 1380, seed, day, 'high-time'));
    const peak = between(280, 470, seed, day, 'high-peak');
    const height = Math.max(60, peak - regularGlucose(persona, at, localDay(timeZone, at)));
    // A missed bolus climbs slowly; the correction brings it down faster.
    plan.bumps.push({
      at,
      height,
      sigmaMs: between(45, 90, seed, day, 'high-width') * MINUTE,
      fallSigmaMs: between(30, 55, seed, day, 'high-fall') * MINUTE,
    });
  }
  return remember(eventPlans, key, plan);
}

function remember(cache: Map<string, Plan>, key: string, plan: Plan): Plan {
  if (cache.size > 100_000) cache.clear();
  cache.set(key, plan);
  return plan;
}

/** The local day number (days since 1970-01-01 in the zone) an instant falls on. */
export function localDay(timeZone: string, time: number): number {
  return Math.floor((time + zoneOffsetMinutes(timeZone, time) * MINUTE) / DAY);
}

/** The instant of a local wall-clock time (minutes after midnight) on a local day. */
function localInstant(timeZone: string, day: number, minutes: number): number {
  const wall = day * DAY + minutes * MINUTE;
  let instant = wall - zoneOffsetMinutes(timeZone, wall) * MINUTE;
  instant = wall - zoneOffsetMinutes(timeZone, instant) * MINUTE;
  return instant;
}
