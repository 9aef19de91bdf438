export { manualClock, systemClock, type Clock, type ManualClock } from './clock.ts';
export type { SimulatedUser, SimulatedUserOptions } from './simulated-users.ts';
export type { EgvRecord, EgvStatus, OutOfRangeValue } from './egv-records.ts';
export { TRENDS, type Trend } from './trend.ts';
export type { DisplayDevice } from './dexcom-time.ts';
export type { TransmitterGeneration } from './sensor-sessions.ts';
