import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseWindow } from './data-routes.ts';
import { egvRecords } from './egv-records.ts';
import { DEXCOM_ENDPOINTS } from './faults.ts';
import { errorReply, jsonReply, readBody, type Reply } from './http-io.ts';
import { applyFault, recordView, type SimulatorCore } from './simulator-core.ts';

/**
 * `/__sim/…`: the simulator's own routes, apart from every Dexcom path, for
 * tests and tools outside the process (JSON in, JSON out, no auth: the
 * simulator listens on loopback). In-process callers use the handle instead.
 *
 * - `GET /__sim` — what this is, its client id, users and clock
 * - `GET|POST /__sim/users` — list or add simulated users
 * - `GET /__sim/users/{login}/egvs?startDate&endDate` — what egvs answers that user now
 * - `GET|POST|DELETE /__sim/faults` — list, add or clear faults
 * - `GET|DELETE /__sim/calls`, `GET /__sim/calls/log` — call counters and log
 */

const scope = {
  login: z.string().optional(),
  times: z.number().int().positive().optional(),
  forMs: z.number().positive().optional(),
};
const endpoint = z.enum(DEXCOM_ENDPOINTS).optional();

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rateLimit'), endpoint, retryAfterSeconds: z.number().int().nonnegative().optional(), ...scope }),
  z.strictObject({ kind: z.literal('serverError'), endpoint, status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(), ...scope }),
  z.strictObject({ kind: z.literal('slow'), endpoint, delayMs: z.number().int().nonnegative().max(600_000), ...scope }),
  z.strictObject({ kind: z.literal('malformedRecords'), count: z.number().int().positive().max(1000).optional(), ...scope }),
  z.strictObject({ kind: z.literal('expireAccessTokens'), login: z.string().optional() }),
  z.strictObject({ kind: z.literal('revokeRefreshTokens'), login: z.string().optional() }),
]);

const userSchema = z.strictObject({
  login: z.string(),
  timeZone: z.string().optional(),
  displayDevice: z.enum(['iOS', 'android', 'receiver']).optional(),
  transmitterGeneration: z.enum(['g6', 'g7']).optional(),
  historyDays: z.number().nonnegative().optional(),
  seed: z.string().optional(),
});

export async function adminRoute(core: SimulatorCore, method: string, url: URL, request: IncomingMessage): Promise<Reply | undefined> {
  const path = url.pathname.replace(/\/+$/, '');
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /__sim':
      return jsonReply(200, {
        name: 'Dexcom simulator — not Dexcom',
        clientId: core.settings.clientId,
        now: new Date(core.now()).toISOString(),
        dataDelayMs: core.settings.dataDelayMs,
        defaultLogin: core.settings.defaultLogin ?? null,
        users: core.users.list(),
      });
    case 'GET /__sim/users':
      return jsonReply(200, { users: core.users.list() });
    case 'POST /__sim/users':
      return withBody(request, userSchema, (options) => jsonReply(201, core.users.add(options)));
    case 'GET /__sim/faults':
      return jsonReply(200, { faults: core.faults.list() });
    case 'POST /__sim/faults':
      return withBody(request, faultSchema, (spec) => jsonReply(201, applyFault(core, spec)));
    case 'DELETE /__sim/faults':
      core.faults.clear();
      return { status: 204 };
    case 'GET /__sim/calls':
      return jsonReply(200, { total: core.stats.count(), counts: core.stats.counts() });
    case 'GET /__sim/calls/log':
      return jsonReply(200, { calls: core.stats.log() });
    case 'DELETE /__sim/calls':
      core.stats.reset();
      return { status: 204 };
  }
  const egvsPath = /^GET \/__sim\/users\/([^/]+)\/egvs$/.exec(route);
  if (egvsPath?.[1]) {
    const user = core.users.get(decodeURIComponent(egvsPath[1]));
    if (!user) return errorReply(404, 'not_found', `there is no simulated user "${decodeURIComponent(egvsPath[1])}"`);
    const window = parseWindow(url.searchParams, core.settings.maxWindowDays);
    if ('status' in window) return window;
    return jsonReply(200, { records: egvRecords(recordView(core, user), window.start, window.end) });
  }
  return undefined;
}

async function withBody<T>(request: IncomingMessage, schema: z.ZodType<T>, use: (value: T) => Reply): Promise<Reply> {
  let json: unknown;
  try {
    json = JSON.parse(await readBody(request));
  } catch (error) {
    return errorReply(400, 'invalid_request', `the body must be JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return jsonReply(400, {
      error: 'invalid_request',
      error_description: 'the body does not have the expected shape',
      issues: parsed.error.issues.map(({ path, message }) => ({ path: path.join('.'), message })),
    });
  }
  try {
    return use(parsed.data);
  } catch (error) {
    return errorReply(400, 'invalid_request', error instanceof Error ? error.message : String(error));
  }
}
