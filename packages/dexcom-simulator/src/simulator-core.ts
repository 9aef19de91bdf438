import { CallStats } from './call-stats.ts';
import type { RecordView } from './egv-records.ts';
import { FaultQueue, type ActiveFault, type FaultSpec } from './faults.ts';
import { HourlyRateLimit } from './hourly-rate-limit.ts';
import { OAuthState } from './oauth-state.ts';
import type { SimulatorSettings } from './simulator-options.ts';
import { SimulatedUsers, type SimulatedUser } from './simulated-users.ts';

/** Everything a running simulator holds, shared by the Dexcom routes, the admin routes and the handle. */
export interface SimulatorCore {
  settings: SimulatorSettings;
  now(): number;
  users: SimulatedUsers;
  oauth: OAuthState;
  faults: FaultQueue;
  stats: CallStats;
  rateLimit: HourlyRateLimit;
  /** Counts malformed-record answers, so that successive ones break records in different ways. */
  malformedSerial: number;
}

export function createCore(settings: SimulatorSettings): SimulatorCore {
  const now = () => settings.clock.now();
  const users = new SimulatedUsers(settings.clientId, now);
  for (const user of settings.users) users.add(user);
  if (settings.defaultLogin !== undefined && !users.get(settings.defaultLogin)) {
    throw new TypeError(`invalid Dexcom simulator options: defaultLogin "${settings.defaultLogin}" is not one of the users`);
  }
  return {
    settings,
    now,
    users,
    oauth: new OAuthState(now, settings),
    faults: new FaultQueue(now),
    stats: new CallStats(),
    rateLimit: new HourlyRateLimit(now, settings.rateLimitPerHour),
    malformedSerial: 0,
  };
}

/** How the user's records look to a request at simulator time `at`. */
export function recordView(core: SimulatorCore, user: SimulatedUser, at = core.now()): RecordView {
  return {
    user,
    outOfRangeValue: core.settings.outOfRangeValue,
    availableUntil: at - core.settings.dataDelayMs,
    revisionWindowMs: core.settings.revisionWindowMs,
  };
}

/** Queues a fault, or applies a token fault at once (answering how many tokens it touched). */
export function applyFault(core: SimulatorCore, spec: FaultSpec): { fault: ActiveFault } | { applied: number } {
  switch (spec.kind) {
    case 'expireAccessTokens':
      return { applied: core.oauth.expireAccessTokens(spec.login) };
    case 'revokeRefreshTokens':
      return { applied: core.oauth.revokeRefreshTokens(spec.login) };
    default:
      return { fault: core.faults.add(spec) };
  }
}
