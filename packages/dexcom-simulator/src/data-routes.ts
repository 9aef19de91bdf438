import { formatUtc, parseDexcomDate } from './dexcom-time.ts';
import { egvRange, egvRecords } from './egv-records.ts';
import { errorReply, jsonReply, type Reply } from './http-io.ts';
import { withMalformedRecords } from './malformed-records.ts';
import { recordView, type SimulatorCore } from './simulator-core.ts';
import type { SimulatedUser } from './simulated-users.ts';

/**
 * Dexcom API v3's data endpoints for the signed-in user: `GET
 * /v3/users/self/egvs?startDate&endDate` and `GET
 * /v3/users/self/dataRange[?lastSyncTime]`, behind an OAuth 2.0 bearer token.
 */

const DAY = 24 * 60 * 60_000;

/**
 * Who the bearer token speaks for, or the 401 to answer: OAuth bearer-token style, a
 * `WWW-Authenticate: Bearer` challenge, with `error="invalid_token"` when a token was sent but is
 * unknown, expired or revoked.
 */
export function authenticate(core: SimulatorCore, authorization: string | undefined): SimulatedUser | Reply {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) {
    return errorReply(401, 'invalid_request', 'an Authorization: Bearer <access token> header is required', {
      'WWW-Authenticate': 'Bearer realm="dexcom-simulator"',
    });
  }
  const check = core.oauth.check(match[1]);
  if (!check.ok) {
    const description = { invalid: 'the access token is unknown', expired: 'the access token has expired', revoked: 'the access token has been revoked' }[check.reason];
    return errorReply(401, 'invalid_token', description, {
      'WWW-Authenticate': `Bearer realm="dexcom-simulator", error="invalid_token", error_description="${description}"`,
    });
  }
  const user = core.users.get(check.login);
  return user ?? errorReply(401, 'invalid_token', 'the access token belongs to no user');
}

/** The egvs answer: the window's records that have arrived, newest first, malformed ones mixed in when a fault asks. */
export function egvs(core: SimulatorCore, user: SimulatedUser, query: URLSearchParams): Reply & { records?: number } {
  const window = parseWindow(query, core.settings.maxWindowDays);
  if ('status' in window) return window;
  let records: unknown[] = egvRecords(recordView(core, user), window.start, window.end);
  const malformed = core.faults.take('malformedRecords', { endpoint: 'egvs', login: user.login });
  if (malformed) records = withMalformedRecords(records as ReturnType<typeof egvRecords>, malformed.count ?? 3, core.malformedSerial++);
  return {
    ...jsonReply(200, { recordType: 'egv', recordVersion: '3.0', userId: user.userId, records }),
    records: records.length,
  };
}

/**
 * The dataRange answer: the first and last egv that have arrived, or only those that arrived
 * after `lastSyncTime` (the last time the client pulled) when it is given; `null` when there are
 * none. Calibrations and events are not simulated: always `null`, as for an account without any.
 */
export function dataRange(core: SimulatorCore, user: SimulatedUser, query: URLSearchParams): Reply {
  const lastSyncText = query.get('lastSyncTime');
  const lastSync = lastSyncText === null ? undefined : parseDexcomDate(lastSyncText, { allowZ: true });
  if (lastSyncText !== null && lastSync === undefined) {
    return errorReply(400, 'invalid_request', `lastSyncTime must be a UTC time as YYYY-MM-DDThh:mm:ss (got ${JSON.stringify(lastSyncText)})`);
  }
  // A reading arrives the data delay after it was taken: new since the last sync means taken after that, less the delay.
  const range = egvRange(recordView(core, user), lastSync === undefined ? undefined : lastSync - core.settings.dataDelayMs);
  const moment = ({ systemTime, displayTime }: { systemTime: string; displayTime: string }) => ({ systemTime, displayTime });
  return jsonReply(200, {
    recordType: 'dataRange',
    recordVersion: '3.0',
    userId: user.userId,
    calibrations: null,
    egvs: range ? { start: moment(range.first), end: moment(range.last) } : null,
    events: null,
  });
}

/** `startDate` and `endDate` as epoch ms, or the 400 Dexcom answers for a missing, malformed, reversed or too long window. */
export function parseWindow(query: URLSearchParams, maxDays: number): { start: number; end: number } | Reply {
  const times: number[] = [];
  for (const name of ['startDate', 'endDate']) {
    const text = query.get(name);
    if (text === null) return errorReply(400, 'invalid_request', `${name} is required`);
    const time = parseDexcomDate(text);
    if (time === undefined) return errorReply(400, 'invalid_request', `${name} must be a UTC time as YYYY-MM-DDThh:mm:ss (got ${JSON.stringify(text)})`);
    times.push(time);
  }
  const [start, end] = times as [number, number];
  if (end < start) return errorReply(400, 'invalid_request', `endDate ${formatUtc(end)} is before startDate ${formatUtc(start)}`);
  if (end - start > maxDays * DAY) {
    return errorReply(400, 'invalid_request', `the window from startDate to endDate may not be longer than ${maxDays} days`);
  }
  return { start, end };
}
